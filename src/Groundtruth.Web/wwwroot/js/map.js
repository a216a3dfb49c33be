// The map page: one Leaflet layer per dataset, read from /api/features; styles by classification, status, verdict and category.
(function () {
    'use strict';
    const element = document.getElementById('map');
    const map = L.map(element, { preferCanvas: true }).setView([-31.3, -24.3], 8);
    const baseMap = element.dataset.baseMap;
    if (baseMap) L.tileLayer(baseMap, { attribution: element.dataset.attribution || '' }).addTo(map);
    const layers = JSON.parse(element.dataset.layers);
    const colours = {
        hazards: f => ({ confirmed: '#c0392b', suspected: '#e67e22', defined: '#8e44ad' })[f.properties.classification] || '#c0392b',
        'minefield-records': () => '#2c3e50', 'land-release': () => '#27ae60', places: () => '#7f8c8d',
        finds: () => '#d35400', accidents: () => '#8b0000', casualties: () => '#4a235a',
    };
    const control = L.control.layers(null, null, { collapsed: false }).addTo(map);
    const groups = {};
    const status = document.getElementById('map-status');
    window.groundtruthMap = { map, counts: {} };

    function describe(p) {
        const table = document.createElement('table');
        for (const [k, v] of Object.entries(p)) {
            if (v === null || v === undefined) continue;
            const row = table.insertRow();
            row.insertCell().textContent = k;
            row.insertCell().textContent = String(v);
        }
        return table;
    }

    async function load(name, query) {
        const response = await fetch(`/api/features/${name}?limit=10000${query}`, { credentials: 'same-origin' });
        if (!response.ok) return 0;
        const data = await response.json();
        const colour = colours[name] || (() => '#333');
        const layer = L.geoJSON(data, {
            style: f => ({ color: colour(f), weight: 1, fillOpacity: name === 'places' ? 0 : 0.35,
                           dashArray: f.properties.status === 'closed' || f.properties.status === 'handed_over' ? '4 4' : null }),
            pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 4, color: colour(f), fillOpacity: 0.8, weight: 1 }),
            onEachFeature: (f, l) => l.bindPopup(() => describe(f.properties)),
        });
        if (groups[name]) { map.removeLayer(groups[name]); control.removeLayer(groups[name]); }
        groups[name] = layer.addTo(map);
        control.addOverlay(layer, `${name} (${data.number_returned})`);
        window.groundtruthMap.counts[name] = data.number_returned;
        return data.number_returned;
    }

    async function loadAll(query) {
        status.textContent = 'Loading…';
        const counts = await Promise.all(layers.map(n => load(n, query)));
        status.textContent = layers.map((n, i) => `${n}: ${counts[i]}`).join(' · ') + (query.includes('include_pending') ? ' · includes pending data' : '');
        if (groups.places && groups.places.getBounds().isValid() && !element.dataset.fitted) { map.fitBounds(groups.places.getBounds()); element.dataset.fitted = 'true'; }
        element.dataset.loaded = 'true';
    }

    document.getElementById('map-filter').addEventListener('submit', e => {
        e.preventDefault();
        const form = new FormData(e.target);
        let query = '';
        for (const k of ['from', 'to', 'include_pending']) if (form.get(k)) query += `&${k}=${encodeURIComponent(form.get(k))}`;
        element.dataset.loaded = 'false';
        loadAll(query);
    });
    loadAll('');
})();
