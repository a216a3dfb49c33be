// The map page: one Leaflet layer per dataset, read from /api/features; styles by classification, status, verdict and category.
(function () {
    'use strict';
    const element = document.getElementById('map');
    const map = L.map(element, { preferCanvas: true }).setView([-31.3, -24.3], 8);
    const baseMap = element.dataset.baseMap;
    if (baseMap) L.tileLayer(baseMap, { attribution: element.dataset.attribution || '' }).addTo(map);
    const layers = JSON.parse(element.dataset.layers);
    // Minefield records by their record-accuracy verdict (/api/records/accuracy/verdicts, the names of `records accuracy`).
    const verdictColours = { confirmed: '#b2182b', not_found_after_processing: '#2166ac', not_yet_processed: '#e6ab02', excluded: '#7f7f7f', none: '#2c3e50' };
    const verdictLabels = {
        confirmed: 'confirmed — a mine found inside', not_found_after_processing: 'not_found_after_processing — processed, nothing found',
        not_yet_processed: 'not_yet_processed — under half processed', excluded: 'excluded — footprint not a valid area', none: 'no verdict available',
    };
    let verdicts = {};
    const colours = {
        hazards: f => ({ confirmed: '#c0392b', suspected: '#e67e22', defined: '#8e44ad' })[f.properties.classification] || '#c0392b',
        'minefield-records': f => verdictColours[f.properties.verdict] || verdictColours.none, 'land-release': () => '#27ae60', places: () => '#7f8c8d',
        finds: () => '#d35400', accidents: () => '#8b0000', casualties: () => '#4a235a',
    };
    const control = L.control.layers(null, null, { collapsed: false }).addTo(map);
    const groups = {};
    const status = document.getElementById('map-status');
    window.groundtruthMap = { map, counts: {}, groups, verdictColours, colourCounts: {} };
    const legend = L.control({ position: 'bottomright' });
    legend.onAdd = () => { const div = L.DomUtil.create('div', 'map-legend'); div.id = 'verdict-legend'; return div; };
    legend.addTo(map);

    async function loadVerdicts() {
        const response = await fetch('/api/records/accuracy/verdicts', { credentials: 'same-origin' });
        verdicts = {};
        if (!response.ok) return null;
        const data = await response.json();
        for (const r of data.records) verdicts[r.id] = r;
        for (const id of data.excluded) verdicts[id] = { id, verdict: 'excluded' };
        return data;
    }

    function drawLegend(layer, data) {
        const counts = {};
        // One count per record: a multipoint record is a group of markers, counted once by its first marker's colour.
        layer.eachLayer(l => { const c = l.getLayers ? l.getLayers()[0].options.color : l.options.color; counts[c] = (counts[c] || 0) + 1; });
        window.groundtruthMap.colourCounts = counts;
        const div = document.getElementById('verdict-legend');
        div.replaceChildren();
        const title = document.createElement('strong');
        title.textContent = 'Minefield records by verdict';
        div.append(title);
        for (const [verdict, colour] of Object.entries(verdictColours)) {
            if (verdict === 'none' && !counts[colour]) continue;
            const row = document.createElement('div');
            row.dataset.verdict = verdict;
            const swatch = document.createElement('i');
            swatch.style.background = colour;
            row.append(swatch, `${verdictLabels[verdict]} (${counts[colour] || 0})`);
            div.append(row);
        }
        const note = document.createElement('div');
        note.textContent = data ? 'records accuracy, default parameters, all dates' : 'verdicts unavailable';
        div.append(note);
    }

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
        if (name === 'minefield-records') {
            for (const f of data.features) {
                const v = verdicts[f.id];
                if (!v) continue;
                f.properties.verdict = v.verdict;
                if (v.devices_found_inside !== undefined && v.devices_found_inside !== null) f.properties.devices_found_inside = v.devices_found_inside;
                if (v.processed_share !== undefined && v.processed_share !== null) f.properties.processed_share = v.processed_share;
            }
        }
        const colour = colours[name] || (() => '#333');
        const layer = L.geoJSON(data, {
            style: f => ({ color: colour(f), weight: name === 'minefield-records' ? 3 : 1, fillOpacity: name === 'places' ? 0 : 0.35,
                           dashArray: f.properties.status === 'closed' || f.properties.status === 'handed_over' ? '4 4' : null }),
            pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 4, color: colour(f), fillOpacity: 0.8, weight: 1 }),
            onEachFeature: (f, l) => l.bindPopup(() => describe(f.properties)),
        });
        if (groups[name]) { map.removeLayer(groups[name]); control.removeLayer(groups[name]); }
        groups[name] = layer.addTo(map);
        control.addOverlay(layer, `${name === 'minefield-records' ? 'minefield records by verdict' : name} (${data.number_returned})`);
        if (name === 'minefield-records') drawLegend(layer, verdictData);
        window.groundtruthMap.counts[name] = data.number_returned;
        return data.number_returned;
    }

    let verdictData = null;
    async function loadAll(query) {
        status.textContent = 'Loading…';
        if (layers.includes('minefield-records') && !verdictData) verdictData = await loadVerdicts();
        const counts = await Promise.all(layers.map(n => load(n, query)));
        if (groups['minefield-records']) groups['minefield-records'].bringToFront();
        status.textContent = layers.map((n, i) => `${n}: ${counts[i]}`).join(' · ') + (query.includes('include_pending') ? ' · includes pending data' : '');
        if (groups.places && groups.places.getBounds().isValid() && !element.dataset.fitted) { map.fitBounds(groups.places.getBounds(), { animate: false }); element.dataset.fitted = 'true'; }
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
