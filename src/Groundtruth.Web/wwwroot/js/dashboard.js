// The dashboard's areas are computed once per data version, which takes seconds at national scale: the page first
// shows the counts and says the areas are being computed ([data-computing]); this asks for the same page again every
// two seconds and, once it holds the areas, puts its figures in place and says so to assistive technology.
(function () {
    'use strict';
    const script = document.currentScript;
    if (!document.querySelector('[data-computing]')) return;
    async function poll() {
        try {
            const response = await fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
            if (response.ok) {
                const next = new DOMParser().parseFromString(await response.text(), 'text/html');
                const figures = next.querySelector('.figures');
                if (figures && !next.querySelector('[data-computing]')) {
                    document.querySelector('.figures').replaceWith(document.importNode(figures, true));
                    const status = document.getElementById('figures-status');
                    if (status && script) status.textContent = script.dataset.done;
                    return;
                }
            }
        } catch {
            // A lost request: try again at the next tick.
        }
        setTimeout(poll, 2000);
    }
    setTimeout(poll, 2000);
})();
