// Small maps on the workbench and the record pages: each element .record-map carries its features in data-features
// ([{ geometry, layer, role, cls, label, href }]); colours come from js/map-style.js (the map page's), the Natural Earth
// outlines (data-outlines) lie under them. Roles: "incoming" and "record" drawn solid in the layer's colour, "current"
// (the record an incoming one would update) dashed dark grey, "related" thinner with a link to the record.
// A map is drawn when it scrolls into view; then its element says data-loaded="true".
(function () {
    'use strict';
    const style = window.groundtruthMapStyle;
    let outlines = null;
    const outlinesOf = url => outlines || (outlines = fetch(url, { credentials: 'same-origin' }).then(r => r.ok ? r.json() : null).catch(() => null));

    const colourOf = (layer, cls) => {
        const d = style.layers.find(l => l.name === layer);
        if (!d) return '#27374d';
        if (d.colour) return d.colour;
        const classes = d.classes || {};
        return (classes[cls] || Object.values(classes)[0] || { colour: '#27374d' }).colour;
    };

    const draw = element => {
        const features = JSON.parse(element.dataset.features || '[]');
        const map = L.map(element, { attributionControl: false, scrollWheelZoom: false, zoomSnap: 0.5 });
        element.style.background = style.background.ocean;
        map.createPane('gt-background').style.zIndex = 150;
        L.control.scale({ imperial: false }).addTo(map);
        const bounds = L.latLngBounds([]);
        for (const f of features) {
            if (!f.geometry) continue;
            const colour = f.role === 'current' ? '#333a44' : colourOf(f.layer, f.cls);
            const line = f.role === 'current'
                ? { color: colour, weight: 3, dashArray: '6 5', fillOpacity: 0.05 }
                : { color: colour, weight: f.role === 'related' ? 2 : 3, fillColor: colour, fillOpacity: f.role === 'related' ? 0.15 : 0.3 };
            const layer = L.geoJSON(f.geometry, {
                style: () => line,
                pointToLayer: (_, latlng) => L.circleMarker(latlng, f.role === 'current'
                    ? { radius: 11, color: colour, weight: 3, dashArray: '4 4', fill: false }
                    : { radius: f.role === 'related' ? 5 : 7, color: '#fff', weight: 1.5, fillColor: colour, fillOpacity: 0.95 }),
            }).addTo(map);
            if (f.label) {
                const box = document.createElement('span');
                if (f.href) {
                    const a = document.createElement('a');
                    a.href = f.href;
                    a.textContent = f.label;
                    box.append(a);
                } else box.textContent = f.label;
                layer.bindPopup(box);
            }
            bounds.extend(layer.getBounds());
        }
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
        else map.setView([0, 0], 2);
        const done = () => { element.dataset.loaded = 'true'; };
        if (element.dataset.outlines && window.topojson) {
            outlinesOf(element.dataset.outlines).then(topology => {
                if (topology) {
                    const countries = topology.objects.countries;
                    L.geoJSON(topojson.feature(topology, countries), {
                        pane: 'gt-background', interactive: false,
                        style: { fillColor: style.background.land, fillOpacity: 1, color: style.background.coastline, weight: 0.8 },
                    }).addTo(map);
                }
                done();
            });
        } else done();
    };

    // The key under each map: a swatch in the colour of its layer.
    for (const swatch of document.querySelectorAll('.map-key .swatch[data-layer]')) swatch.style.setProperty('--swatch', colourOf(swatch.dataset.layer, swatch.dataset.cls));

    const maps = document.querySelectorAll('.record-map[data-features]');
    if ('IntersectionObserver' in window) {
        const seen = new IntersectionObserver(entries => {
            for (const e of entries) if (e.isIntersecting) { seen.unobserve(e.target); draw(e.target); }
        }, { rootMargin: '200px' });
        maps.forEach(m => seen.observe(m));
    } else maps.forEach(draw);

    // After a decision the page says what was done: the confirmation takes the focus so a screen reader reads it first.
    const confirmation = document.querySelector('[data-confirmation]');
    if (confirmation) confirmation.focus();
})();
