// The map page: an offline background (Natural Earth outlines; a PMTiles basemap or a tile server when configured),
// then one Leaflet layer per dataset from /api/features in the fixed order of map-style.js, each with its legend.
(function () {
    'use strict';
    const style = window.groundtruthMapStyle;
    const element = document.getElementById('map');
    const phone = window.matchMedia('(max-width: 700px)').matches;
    const recordLinks = element.dataset.recordLinks === 'true';
    // Numbers in the page's language; words from the label catalogue (/api/labels) in that language, loaded before the layers.
    const locale = document.documentElement.lang || 'en';
    const number = n => n.toLocaleString(locale);
    let words = { labels: {}, map: {}, values: {} };
    const say = (key, fallback) => words.map[key] || fallback;
    async function loadWords() {
        const response = await fetch('/api/labels', { credentials: 'same-origin' });
        if (response.ok) words = await response.json();
    }
    const table = name => name.replace('-', '_');
    const layerLabel = d => say(`${table(d.name).replace('_records', '')}_layer`, null)
        || words.labels[`dataset.${table(d.name)}`] || d.label;
    const map = L.map(element, { preferCanvas: true, zoomSnap: 0.5, maxZoom: 19 }).setView([-31.3, -24.3], 8);
    element.style.background = style.background.ocean;
    L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);

    // Fixed drawing order: the outlines under any tiles, then each dataset in its own pane in the order of map-style.js.
    map.createPane('gt-background').style.zIndex = 150;
    const wanted = JSON.parse(element.dataset.layers);
    const definitions = style.layers.filter(d => wanted.includes(d.name));
    definitions.forEach((d, i) => { map.createPane(`gt-${d.name}`).style.zIndex = 410 + i; });

    function drawNaturalEarth() {
        return fetch(element.dataset.outlines, { credentials: 'same-origin' })
            .then(r => r.ok ? r.json() : Promise.reject(new Error(`${element.dataset.outlines}: ${r.status}`)))
            .then(topology => {
                const countries = topology.objects.countries;
                const attribution = 'Outlines: Natural Earth (public domain)';
                L.geoJSON(topojson.feature(topology, countries), {
                    pane: 'gt-background', interactive: false, attribution,
                    style: { fillColor: style.background.land, fillOpacity: 1, color: style.background.coastline, weight: 0.8 },
                }).addTo(map);
                L.geoJSON(topojson.mesh(topology, countries, (a, b) => a !== b), {
                    pane: 'gt-background', interactive: false, style: { color: style.background.border, weight: 0.8, dashArray: '3 3' },
                }).addTo(map);
            })
            .catch(() => { /* the data layers still draw on the sea colour */ });
    }
    drawNaturalEarth();
    if (element.dataset.pmtiles && window.protomapsL) {
        protomapsL.leafletLayer({ url: element.dataset.pmtiles, flavor: 'light', lang: locale, attribution: 'Basemap: Protomaps, © OpenStreetMap' }).addTo(map);
    }
    if (element.dataset.baseMap) L.tileLayer(element.dataset.baseMap, { attribution: element.dataset.attribution || '' }).addTo(map);

    const verdictDefinition = style.layers.find(d => d.name === 'minefield-records');
    const verdictColours = Object.fromEntries(Object.entries(verdictDefinition.classes).map(([k, c]) => [k, c.colour]));
    const groups = {};
    const overlays = {};
    const legendCounts = {};
    const status = document.getElementById('map-status');
    window.groundtruthMap = { map, counts: {}, groups, verdictColours, colourCounts: {}, style };
    // Collapsed to its button: the legend (bottom right) lists every layer with its counts.
    const control = L.control.layers(null, null, { collapsed: true }).addTo(map);

    // Words for the popups, from the catalogue: the field's label and the value as a person reads it (no snake_case, yes/no, m² as integers).
    const singular = name => words.labels[`record.${table(name)}`] || name;
    const references = { activity_id: 'activities', hazard_id: 'hazards', accident_id: 'accidents', parent_id: 'places', derived_from: null };
    const label = (name, key) => words.labels[`field.${table(name)}.${key}`] || words.labels[`field.${key}`]
        || (key.charAt(0).toUpperCase() + key.slice(1)).replaceAll('_', ' ');
    const word = (name, key, text) => (key === 'verdict' && words.labels[`value.verdict.${text}`])
        || (words.values[`${table(name)}.${key}`] || {})[text]
        || (/^[a-z]+(_[a-z]+)+$/.test(text) ? text.replaceAll('_', ' ').replace('anti ', 'anti-') : text);
    const classLabel = (d, value, fallback) => d.name === 'minefield-records'
        ? (value === 'none' ? say('no_verdict', fallback) : words.labels[`value.verdict.${value}`] || fallback)
        : (words.values[`${table(d.name)}.${d.by}`] || {})[value] || fallback;

    function recordLink(dataset, id, text) {
        if (!recordLinks) return document.createTextNode(text);
        const a = document.createElement('a');
        a.href = `/registers/${dataset}/${encodeURIComponent(id)}`;
        a.textContent = text;
        return a;
    }

    function valueNode(name, key, v) {
        if (typeof v === 'boolean') return document.createTextNode(v ? (words.labels.yes || 'yes') : (words.labels.no || 'no'));
        if (typeof v === 'number') {
            if (key === 'area_m2') return document.createTextNode(`${number(Math.round(v))} m²`);
            if (key === 'processed_share') return document.createTextNode((v <= 1 ? v : v / 100).toLocaleString(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }));
            if (key === 'production_year') return document.createTextNode(String(v));
            return document.createTextNode(v.toLocaleString(locale, { maximumFractionDigits: 2 }));
        }
        const text = String(v);
        if (references[key]) return recordLink(references[key], text, text);
        return document.createTextNode(text.split(';').map(t => word(name, key, t)).join(', '));
    }

    function popup(name, f) {
        const div = document.createElement('div');
        div.className = 'gt-popup';
        const title = document.createElement('strong');
        title.textContent = `${singular(name)} ${f.properties.id || f.id || ''}`;
        div.append(title);
        const table = document.createElement('table');
        for (const [k, v] of Object.entries(f.properties)) {
            if (v === null || v === undefined || v === '' || k === 'id') continue;
            const row = table.insertRow();
            const th = document.createElement('th');
            th.scope = 'row';
            th.textContent = label(name, k);
            row.append(th);
            row.insertCell().append(valueNode(name, k, v));
        }
        div.append(table);
        const id = f.properties.id || f.id;
        if (recordLinks && id) {
            const p = document.createElement('p');
            p.append(recordLink(name, id, say('open_record', 'Open the record')));
            div.append(p);
        }
        return div;
    }

    function colourOf(d, f) {
        if (!d.classes) return d.colour;
        const c = d.classes[f.properties[d.by]] || d.classes.none;
        return c ? c.colour : '#333';
    }

    const dashed = (d, f) => !!d.dashedWhen && Object.entries(d.dashedWhen).some(([k, values]) => values.includes(f.properties[k]));

    // The legend: one section per layer (every class with its count), the background, and the scale bar below it.
    const legend = L.control({ position: 'bottomright' });
    legend.onAdd = () => {
        const details = L.DomUtil.create('details', 'map-legend');
        details.id = 'map-legend';
        if (!phone) details.open = true;
        const summary = document.createElement('summary');
        summary.textContent = 'Legend';
        const body = document.createElement('div');
        body.id = 'map-legend-body';
        details.append(summary, body);
        L.DomEvent.disableClickPropagation(details);
        L.DomEvent.disableScrollPropagation(details);
        return details;
    };
    legend.addTo(map);

    function swatch(colour, kind, isDashed) {
        const i = document.createElement('i');
        i.className = `swatch swatch-${kind}${isDashed ? ' swatch-dashed' : ''}`;
        i.style.setProperty('--swatch', colour);
        i.setAttribute('aria-hidden', 'true');
        return i;
    }

    function drawLegend() {
        const body = document.getElementById('map-legend-body');
        body.replaceChildren();
        for (const d of definitions) {
            if (!(d.name in legendCounts)) continue;
            const { counts, total, drawn } = legendCounts[d.name];
            const section = document.createElement('section');
            section.dataset.layer = d.name;
            if (d.name === 'minefield-records') section.id = 'verdict-legend';
            const heading = document.createElement('strong');
            heading.textContent = `${layerLabel(d)} (${number(total)}${drawn < total ? `, ${say('with_place', '{0} with a place').replace('{0}', number(drawn))}` : ''})`;
            section.append(heading);
            const kind = d.cluster ? 'point' : d.outline ? 'line' : 'area';
            if (d.classes) {
                for (const [value, c] of Object.entries(d.classes)) {
                    if (!counts[value] && (value === 'none' || d.name !== 'minefield-records')) continue;
                    const row = document.createElement('div');
                    row.dataset.value = value;
                    if (d.name === 'minefield-records') row.dataset.verdict = value;
                    row.append(swatch(c.colour, value === 'village' ? 'point' : kind), `${classLabel(d, value, c.label)} (${number(counts[value] || 0)})`);
                    section.append(row);
                }
                if (d.dashedLabel) {
                    const row = document.createElement('div');
                    row.append(swatch('#555', 'area', true), say('dashed', d.dashedLabel));
                    section.append(row);
                }
            } else {
                const row = document.createElement('div');
                row.append(swatch(d.colour, kind), d.cluster ? say('cluster', 'one record; a numbered circle is a cluster') : layerLabel(d));
                section.append(row);
            }
            if (d.name === 'minefield-records') {
                const note = document.createElement('div');
                note.className = 'note';
                note.textContent = verdictData ? say('verdict_note', 'records accuracy, default parameters, all dates') : say('verdicts_unavailable', 'verdicts unavailable');
                section.append(note);
            }
            if (d.name === 'hazards') {
                const note = document.createElement('div');
                note.className = 'note';
                note.textContent = say('dots', 'zoomed out, each area is also marked by a dot');
                section.append(note);
            }
            body.append(section);
        }
        const section = document.createElement('section');
        const heading = document.createElement('strong');
        document.querySelector('#map-legend summary').textContent = say('legend', 'Legend');
        heading.textContent = say('background', 'Background');
        section.append(heading);
        for (const [colour, text] of [[style.background.land, say('land', 'Land (Natural Earth)')], [style.background.ocean, say('sea', 'Sea')]]) {
            const row = document.createElement('div');
            row.append(swatch(colour, 'area'), text);
            section.append(row);
        }
        body.append(section);
    }

    let verdicts = {};
    let verdictData = null;
    async function loadVerdicts() {
        const response = await fetch('/api/records/accuracy/verdicts', { credentials: 'same-origin' });
        verdicts = {};
        if (!response.ok) return null;
        const data = await response.json();
        for (const r of data.records) verdicts[r.id] = r;
        for (const id of data.excluded) verdicts[id] = { id, verdict: 'excluded' };
        return data;
    }

    // A cluster's count in white needs a background dark enough to read (WCAG AA contrast).
    function darker(hex) {
        const n = parseInt(hex.slice(1), 16);
        const part = shift => Math.round(((n >> shift) & 255) * 0.75).toString(16).padStart(2, '0');
        return `#${part(16)}${part(8)}${part(0)}`;
    }

    function clusterIcon(d) {
        return cluster => {
            const n = cluster.getChildCount();
            const size = n < 10 ? 28 : n < 100 ? 34 : 40;
            return L.divIcon({
                className: 'gt-cluster', iconSize: [size, size],
                html: `<span class="count" style="background:${darker(d.colour)}">${n}<span class="visually-hidden"> ${layerLabel(d).toLocaleLowerCase(locale)}</span></span>`,
            });
        };
    }

    // Zoomed out, a hazardous area of a few hundred metres is smaller than a pixel: a dot at its centre marks it.
    const dotZoom = 13;
    let dotUpdate = null;
    function centreDots(d, geo) {
        const dots = L.layerGroup();
        geo.eachLayer(l => {
            if (!l.getBounds) return;
            const dot = L.circleMarker(l.getBounds().getCenter(), { pane: `gt-${d.name}`, radius: 6, color: '#222', weight: 1.5, fillColor: l.options.color, fillOpacity: 0.9 });
            dot.bindPopup(() => popup(d.name, l.feature), { maxWidth: phone ? 260 : 360 });
            dots.addLayer(dot);
        });
        return dots;
    }

    async function load(d, query) {
        const name = d.name;
        const response = await fetch(`/api/features/${name}?limit=10000${query}`, { credentials: 'same-origin' });
        if (!response.ok) return 0;
        const data = await response.json();
        if (name === 'minefield-records') {
            for (const f of data.features) {
                const v = verdicts[f.id];
                f.properties.verdict = v ? v.verdict : 'none';
                if (!v) continue;
                if (v.devices_found_inside !== undefined && v.devices_found_inside !== null) f.properties.devices_found_inside = v.devices_found_inside;
                if (v.processed_share !== undefined && v.processed_share !== null) f.properties.processed_share = v.processed_share;
            }
        }
        const pane = `gt-${name}`;
        const counts = {};
        let drawn = 0;
        const geo = L.geoJSON(data, {
            pane,
            style: f => ({
                color: colourOf(d, f), weight: d.weight || (d.outline ? 1.5 : 1.2), fill: !d.outline, fillOpacity: 0.35,
                dashArray: dashed(d, f) ? '5 4' : null,
            }),
            pointToLayer: (f, latlng) => L.circleMarker(latlng, { pane, radius: d.cluster ? 5 : 3.5, color: '#fff', weight: 1, fillColor: colourOf(d, f), fillOpacity: 0.95 }),
            onEachFeature: (f, l) => {
                drawn++;
                if (d.by) counts[f.properties[d.by]] = (counts[f.properties[d.by]] || 0) + 1;
                l.bindPopup(() => popup(name, f), { maxWidth: phone ? 260 : 360 });
            },
        });
        legendCounts[name] = { counts, total: data.number_returned, drawn };

        // Clusters for dense points (not for a viewer's generalised cells, which are areas).
        let overlay;
        if (d.cluster && L.markerClusterGroup && data.generalised_to_degrees === null) {
            overlay = L.markerClusterGroup({
                clusterPane: pane, showCoverageOnHover: false, maxClusterRadius: 60, disableClusteringAtZoom: 15, chunkedLoading: true,
                iconCreateFunction: clusterIcon(d),
            });
            overlay.addLayers(geo.getLayers());
        } else {
            overlay = L.layerGroup([geo]);
            if (name === 'hazards') {
                const dots = centreDots(d, geo);
                const update = () => { if (map.getZoom() < dotZoom) overlay.addLayer(dots); else overlay.removeLayer(dots); };
                if (dotUpdate) map.off('zoomend', dotUpdate);
                dotUpdate = update;
                map.on('zoomend', update);
                update();
            }
        }
        if (overlays[name]) { map.removeLayer(overlays[name]); control.removeLayer(overlays[name]); }
        overlays[name] = overlay.addTo(map);
        groups[name] = geo;
        window.groundtruthMap.counts[name] = data.number_returned;
        return overlay;
    }

    function countVerdictColours() {
        const counts = {};
        const geo = groups['minefield-records'];
        if (geo) geo.eachLayer(l => { const c = l.getLayers ? l.getLayers()[0].options.color : l.options.color; counts[c] = (counts[c] || 0) + 1; });
        window.groundtruthMap.colourCounts = counts;
    }

    function dataBounds() {
        const bounds = L.latLngBounds([]);
        for (const [name, geo] of Object.entries(groups)) {
            if (name === 'places' || !geo.getLayers().length) continue;
            bounds.extend(geo.getBounds());
        }
        return bounds.isValid() ? bounds : groups.places && groups.places.getBounds();
    }

    async function loadAll(query) {
        if (!words.language) await loadWords();
        status.textContent = say('loading', 'Loading…');
        if (wanted.includes('minefield-records') && !verdictData) verdictData = await loadVerdicts();
        await Promise.all(definitions.map(d => load(d, query)));
        // The layer control lists the layers in drawing order, whatever order their data arrived in.
        for (const d of definitions) {
            if (!overlays[d.name]) continue;
            control.addOverlay(overlays[d.name], `${layerLabel(d)} (${number(window.groundtruthMap.counts[d.name])})`);
        }
        countVerdictColours();
        drawLegend();
        status.textContent = definitions.map(d => `${layerLabel(d)}: ${number(window.groundtruthMap.counts[d.name] || 0)}`).join(' · ') +
            (query.includes('include_pending') ? ` · ${say('includes_pending', 'includes pending data')}` : '');
        const bounds = dataBounds();
        if (bounds && bounds.isValid() && !element.dataset.fitted) { map.fitBounds(bounds, { animate: false, padding: [12, 12] }); element.dataset.fitted = 'true'; }
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
