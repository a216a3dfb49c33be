// Every page: the navigation folds into a menu button on narrow screens (without script the menu simply stays open),
// and the error summary, when a page has one, takes the focus so a screen reader reads it first.
(function () {
    'use strict';
    const button = document.querySelector('.menu-button');
    const menu = document.getElementById('site-menu');
    if (button && menu) {
        button.hidden = false;
        document.documentElement.classList.add('menu-ready');
        button.addEventListener('click', () => {
            const open = button.getAttribute('aria-expanded') !== 'true';
            button.setAttribute('aria-expanded', String(open));
            menu.classList.toggle('open', open);
        });
        document.addEventListener('keydown', e => {
            if (e.key === 'Escape' && menu.classList.contains('open')) { button.click(); button.focus(); }
        });
    }
    // A table wider than the screen scrolls inside its own box, never the page; a box that scrolls can take the
    // focus (so the keyboard can scroll it) and is named for screen readers.
    const names = new Set();
    const nameOf = table => {
        let name = table.caption ? table.caption.textContent.trim() : '';
        for (let e = table.parentElement; !name && e && e.tagName !== 'BODY'; e = e.parentElement) {
            for (let s = e.previousElementSibling; s && !name; s = s.previousElementSibling) if (/^H[1-3]$/.test(s.tagName)) name = s.textContent.trim();
        }
        name = name || 'Table';
        let unique = name;
        for (let n = 2; names.has(unique); n++) unique = `${name} (${n})`;
        names.add(unique);
        return `${unique}, scrolls sideways`;
    };
    for (const table of document.querySelectorAll('main table')) {
        let box = table.parentElement;
        if (!box.classList.contains('scroll')) {
            box = document.createElement('div');
            box.className = 'scroll';
            table.before(box);
            box.append(table);
        }
        if (box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute('tabindex')) {
            box.tabIndex = 0;
            box.setAttribute('role', 'region');
            box.setAttribute('aria-label', nameOf(table));
        }
    }
    const summary = document.querySelector('[data-error-summary]');
    if (summary) summary.focus();
})();
