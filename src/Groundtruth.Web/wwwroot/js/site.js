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
    const summary = document.querySelector('[data-error-summary]');
    if (summary) summary.focus();
})();
