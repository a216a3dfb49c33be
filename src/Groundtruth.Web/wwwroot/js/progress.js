// Polls the status endpoint of a computation running in the background and shows its stage and share done;
// reloads the page when the result is ready (or the computation failed, so the page can say why).
(function () {
    const section = document.getElementById('work-progress');
    if (!section) return;
    const url = section.dataset.statusUrl;
    const stage = document.getElementById('work-stage');
    const percent = document.getElementById('work-percent');
    const bar = document.getElementById('work-bar');
    // The stages' words in the page's language (empty in English): fixed stages by their English words, the rest by pattern.
    let stages = { fixedStages: {}, patterns: [] };
    try { stages = JSON.parse(section.dataset.stages || '{}'); } catch (e) { /* English words then */ }
    function say(text) {
        if (!text) return section.dataset.working;
        if (stages.fixedStages && stages.fixedStages[text]) return stages.fixedStages[text];
        for (const [pattern, sentence] of stages.patterns || []) {
            const match = new RegExp(pattern).exec(text);
            if (match) return sentence.replace(/\{(\d+)\}/g, (_, i) => match[Number(i) + 1] ?? '');
        }
        return text;
    }
    async function poll() {
        try {
            const response = await fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' });
            if (response.ok) {
                const status = await response.json();
                if (status.state === 'ready' || status.state === 'failed' || status.state === 'none') {
                    window.location.reload();
                    return;
                }
                // The stage's own words come from the application in English and are said in the page's language here.
                stage.textContent = status.state === 'waiting' ? section.dataset.waiting : say(status.stage);
                if (typeof status.fraction === 'number') {
                    const p = Math.round(status.fraction * 100);
                    percent.textContent = p + '%';
                    bar.value = p;
                }
            }
        } catch (e) {
            // A lost request: try again at the next tick.
        }
        setTimeout(poll, 1000);
    }
    setTimeout(poll, 1000);
})();
