// The one place the map's colours live (the map page, its legend, and the QGIS styles in docs use the same values).
// Layers are listed bottom to top: this is the drawing order on every load.
window.groundtruthMapStyle = (function () {
    'use strict';
    return {
        background: { ocean: '#cfe2ee', land: '#f3efe4', border: '#9c9686', coastline: '#7d8fa0' },
        layers: [
            {
                name: 'places', label: 'Places', by: 'kind', outline: true,
                classes: {
                    country: { colour: '#3d4a57', label: 'Country border' }, region: { colour: '#5d6b78', label: 'Region border' },
                    district: { colour: '#8593a0', label: 'District border' }, village: { colour: '#3d4a57', label: 'Village' },
                },
            },
            {
                name: 'hazards', label: 'Hazardous areas', by: 'classification', dashedWhen: { status: ['closed', 'handed_over'] },
                classes: {
                    confirmed: { colour: '#c0392b', label: 'Confirmed hazardous area' }, suspected: { colour: '#e67e22', label: 'Suspected hazardous area' },
                    defined: { colour: '#8e44ad', label: 'Defined hazardous area' },
                },
                dashedLabel: 'dashed outline: closed or handed over',
            },
            {
                name: 'land-release', label: 'Land release', by: 'method',
                classes: {
                    cleared: { colour: '#1b7837', label: 'Cleared' }, reduced: { colour: '#5aae61', label: 'Reduced (technical survey)' },
                    cancelled: { colour: '#a6dba0', label: 'Cancelled (non-technical survey)' },
                },
            },
            {
                name: 'minefield-records', label: 'Minefield records by verdict', by: 'verdict', weight: 3,
                classes: {
                    confirmed: { colour: '#b2182b', label: 'Confirmed — a mine found inside' },
                    not_found_after_processing: { colour: '#2166ac', label: 'Not found after processing — processed, nothing found' },
                    not_yet_processed: { colour: '#e6ab02', label: 'Not yet processed — under half processed' },
                    excluded: { colour: '#7f7f7f', label: 'Excluded — footprint not a valid area' },
                    none: { colour: '#2c3e50', label: 'No verdict available' },
                },
            },
            { name: 'finds', label: 'Finds of explosive ordnance', colour: '#d35400', cluster: true },
            { name: 'accidents', label: 'Accidents', colour: '#6a1b9a', cluster: true },
            { name: 'casualties', label: 'Casualties (where recorded apart from the accident)', colour: '#c2185b', cluster: true },
        ],
    };
})();
