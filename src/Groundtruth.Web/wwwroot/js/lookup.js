// Reference fields of the entry forms (Pages/Entry/_Field.cshtml): an input with the ARIA combobox pattern. Typing
// searches the records of the referenced dataset (/api/lookup/{dataset}?q=); "nearest" lists them by distance to the
// coordinates entered (lon/lat, or the first point of the geometry text). Up/Down move through the options, Enter or
// a click picks one, Escape closes. Without JavaScript the input stays a plain text field for the id.
(function () {
    'use strict';
    const boxes = document.querySelectorAll('.combobox[data-lookup]');
    const format = (text, ...values) => values.reduce((t, v, i) => t.replace('{' + i + '}', v), text);

    // The point the user entered: the lon/lat inputs, else the first coordinate pair of the WKT or GeoJSON text.
    function enteredPoint() {
        const lon = document.getElementById('lon'), lat = document.getElementById('lat');
        if (lon && lat && lon.value.trim() && lat.value.trim() && isFinite(+lon.value) && isFinite(+lat.value)) return [+lon.value, +lat.value];
        const text = document.getElementById('geometry');
        const m = text && /(-?\d+(?:\.\d+)?)[\s,]+(-?\d+(?:\.\d+)?)/.exec(text.value);
        return m ? [+m[1], +m[2]] : null;
    }

    boxes.forEach(box => {
        const input = box.querySelector('input[role="combobox"]');
        const list = box.querySelector('[role="listbox"]');
        const status = box.querySelector('[role="status"]');
        let active = -1, timer = 0, request = 0;

        function close() {
            list.hidden = true;
            list.replaceChildren();
            input.setAttribute('aria-expanded', 'false');
            input.removeAttribute('aria-activedescendant');
            active = -1;
        }

        function show(items) {
            list.replaceChildren();
            items.forEach((item, i) => {
                const option = document.createElement('li');
                option.id = `${input.id}-option-${i}`;
                option.setAttribute('role', 'option');
                option.setAttribute('aria-selected', 'false');
                option.dataset.id = item.id;
                const id = document.createElement('span');
                id.className = 'option-id';
                id.textContent = item.id;
                option.append(id, ' ' + (item.label || '') + (item.distance_m != null ? ` (${Math.round(item.distance_m).toLocaleString()} m)` : ''));
                option.addEventListener('mousedown', e => { e.preventDefault(); pick(i); });
                list.append(option);
            });
            status.textContent = items.length ? format(box.dataset.found, items.length) : box.dataset.empty;
            list.hidden = items.length === 0;
            input.setAttribute('aria-expanded', items.length ? 'true' : 'false');
            active = -1;
        }

        function highlight(i) {
            const options = list.querySelectorAll('[role="option"]');
            if (!options.length) return;
            active = (i + options.length) % options.length;
            options.forEach((o, k) => o.setAttribute('aria-selected', k === active ? 'true' : 'false'));
            input.setAttribute('aria-activedescendant', options[active].id);
            options[active].scrollIntoView({ block: 'nearest' });
        }

        function pick(i) {
            const option = list.querySelectorAll('[role="option"]')[i];
            if (!option) return;
            input.value = option.dataset.id;
            close();
            input.focus();
        }

        async function search(params) {
            const mine = ++request;
            try {
                const response = await fetch(`${box.dataset.lookup}?${new URLSearchParams(params)}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
                if (!response.ok || mine !== request) return;
                show(await response.json());
            } catch {
                // The field stays a plain input for the id.
            }
        }

        input.addEventListener('input', () => {
            clearTimeout(timer);
            const q = input.value.trim();
            if (!q) { close(); return; }
            timer = setTimeout(() => search({ q }), 200);
        });
        input.addEventListener('keydown', e => {
            if (e.key === 'ArrowDown') { e.preventDefault(); if (list.hidden) search({ q: input.value.trim() }); else highlight(active + 1); }
            else if (e.key === 'ArrowUp') { e.preventDefault(); highlight(active - 1); }
            else if (e.key === 'Enter' && !list.hidden && active >= 0) { e.preventDefault(); pick(active); }
            else if (e.key === 'Escape' && !list.hidden) { e.preventDefault(); close(); }
        });
        // Leaving the field closes the list, unless for the "nearest" button or an option of the same field.
        input.addEventListener('blur', () => setTimeout(() => { if (!box.contains(document.activeElement)) close(); }, 150));
        const nearest = box.querySelector('[data-nearest]');
        if (nearest) nearest.addEventListener('click', () => {
            const point = enteredPoint();
            if (!point) { status.textContent = box.dataset.needPoint; return; }
            search({ lon: point[0], lat: point[1] }).then(() => { if (!list.hidden) { input.focus(); highlight(0); } });
        });
    });
})();
