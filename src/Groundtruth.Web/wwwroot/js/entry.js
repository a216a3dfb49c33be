// The entry form's map (Pages/Entry/Record.cshtml): a click places a point (lon/lat inputs) or adds a vertex of a
// perimeter (written as WKT into the geometry text area). Places and hazardous areas are drawn for orientation.
// The form works without it: the inputs remain the record.
(function () {
    'use strict';
    const element = document.getElementById('entry-map');
    if (!element || typeof L === 'undefined') return;
    const point = element.dataset.shape === 'point';
    const lon = document.getElementById('lon');
    const lat = document.getElementById('lat');
    const text = document.getElementById('geometry');
    const placed = point && lon && lat && lon.value && lat.value && !isNaN(+lon.value) && !isNaN(+lat.value);
    const map = L.map(element).setView(placed ? [+lat.value, +lon.value] : [-31.3, -24.3], placed ? 12 : 8);
    if (element.dataset.baseMap) L.tileLayer(element.dataset.baseMap, { attribution: element.dataset.attribution || '' }).addTo(map);
    for (const [name, colour] of [['places', '#7f8c8d'], ['hazards', '#c0392b']]) {
        fetch(`/api/features/${name}?limit=10000`, { credentials: 'same-origin' })
            .then(r => r.ok ? r.json() : null)
            .then(data => {
                if (!data) return;
                L.geoJSON(data, {
                    interactive: false,
                    style: () => ({ color: colour, weight: 1, fillOpacity: name === 'places' ? 0 : 0.15 }),
                    pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 2, color: colour, interactive: false }),
                }).addTo(map);
            });
    }
    const round = v => Math.round(v * 1e6) / 1e6;
    let marker = null;
    const vertices = [];
    const outline = L.polygon([], { color: '#1f4e79', weight: 2 }).addTo(map);

    function showPoint(latlng) {
        if (marker) marker.setLatLng(latlng); else marker = L.circleMarker(latlng, { radius: 6, color: '#1f4e79', fillOpacity: 0.9 }).addTo(map);
    }
    if (placed) showPoint([+lat.value, +lon.value]);

    map.on('click', e => {
        const x = round(e.latlng.lng), y = round(e.latlng.lat);
        if (point) {
            lon.value = String(x);
            lat.value = String(y);
            showPoint([y, x]);
            return;
        }
        vertices.push([x, y]);
        outline.setLatLngs(vertices.map(([vx, vy]) => [vy, vx]));
        if (vertices.length >= 3) {
            const ring = [...vertices, vertices[0]].map(([vx, vy]) => `${vx} ${vy}`).join(', ');
            text.value = `POLYGON((${ring}))`;
        }
    });
    const clear = document.getElementById('entry-map-clear');
    if (clear) clear.addEventListener('click', () => {
        vertices.length = 0;
        outline.setLatLngs([]);
        if (text) text.value = '';
        if (marker) { marker.remove(); marker = null; }
        if (point) { lon.value = ''; lat.value = ''; }
    });
    window.groundtruthEntry = { map };
})();
