// The ViCare sign-in's redirect URI: Viessmann's IAM sends the browser here with ?code=…&state=… (or ?error=…).
// The page hands both to the wizard in this tab's sessionStorage and goes back to it; the wizard exchanges the code
// through the gateway, which holds the PKCE verifier. The code alone is worthless without that verifier.
const q = new URLSearchParams(location.search);
sessionStorage.setItem('gw.vicare-return', JSON.stringify({ code: q.get('code'), state: q.get('state'),
  error: q.get('error'), error_description: q.get('error_description') }));
location.replace(new URL('./#/add', location.href).href);
