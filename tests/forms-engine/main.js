// Hosts ODK's own form engine (@getodk/web-forms) on one offline page. The test that drives it sets
// window.groundtruthForm (the XForm's XML) before this module runs, fills the form through its controls
// and reads what the engine submits from window.groundtruthSubmissions.
import { createApp, h } from 'vue';
import { OdkWebForm, webFormsPlugin } from '@getodk/web-forms';

window.groundtruthSubmissions = [];
window.groundtruthErrors = [];
window.addEventListener('error', (e) => window.groundtruthErrors.push(String(e.message)));

const formXml = window.groundtruthForm;
const app = createApp({
  render: () => h(OdkWebForm, {
    formXml,
    fetchFormAttachment: () => Promise.resolve(new Response('', { status: 404 })),
    onSubmit: async (payload, callback) => {
      const file = payload.data[0].get('xml_submission_file');
      window.groundtruthSubmissions.push(await file.text());
      callback?.({ status: 'success' });
    },
  }),
});
app.use(webFormsPlugin);
app.mount('#app');
window.groundtruthMounted = true;
