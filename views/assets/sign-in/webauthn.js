// WebAuthn ceremonies for our own pages (no inline script: the CSP allows only 'self'). A form marked
// data-webauthn="create" or "get" carries the server's options as JSON in data-webauthn-options
// (W3C WebAuthn Level 3, PublicKeyCredential*OptionsJSON). On submit the ceremony runs; the
// credential's JSON goes in the form's `response` field and the form is posted. A cancelled or failed
// ceremony posts an empty `response`: the server answers with its own words. Exposes nothing global.
(() => {
  const form = document.querySelector('form[data-webauthn]');
  if (!form || !window.PublicKeyCredential) return;
  const b64uToBytes = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
  const bytesToB64u = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const withIds = (list) => (list || []).map((item) => ({ ...item, id: b64uToBytes(item.id) }));

  function creationOptions(json) {
    return { ...json, challenge: b64uToBytes(json.challenge), user: { ...json.user, id: b64uToBytes(json.user.id) }, excludeCredentials: withIds(json.excludeCredentials) };
  }
  function requestOptions(json) {
    return { ...json, challenge: b64uToBytes(json.challenge), allowCredentials: withIds(json.allowCredentials) };
  }
  function credentialJson(credential) {
    if (typeof credential.toJSON === 'function') return credential.toJSON();
    const r = credential.response;
    const response = { clientDataJSON: bytesToB64u(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = bytesToB64u(r.attestationObject);
      response.transports = typeof r.getTransports === 'function' ? r.getTransports() : [];
    } else {
      response.authenticatorData = bytesToB64u(r.authenticatorData);
      response.signature = bytesToB64u(r.signature);
      if (r.userHandle) response.userHandle = bytesToB64u(r.userHandle);
    }
    return { id: credential.id, rawId: bytesToB64u(credential.rawId), type: credential.type, response, authenticatorAttachment: credential.authenticatorAttachment || undefined, clientExtensionResults: credential.getClientExtensionResults() };
  }

  let running = false;
  form.addEventListener('submit', async (event) => {
    if (form.elements.response.value !== '' || running) return;
    event.preventDefault();
    running = true;
    const options = JSON.parse(form.dataset.webauthnOptions);
    try {
      const credential = form.dataset.webauthn === 'create'
        ? await navigator.credentials.create({ publicKey: creationOptions(options) })
        : await navigator.credentials.get({ publicKey: requestOptions(options) });
      form.elements.response.value = JSON.stringify(credentialJson(credential));
    } catch {
      form.elements.response.value = '';
    }
    // Posted either way; an empty answer is a refusal the server words.
    HTMLFormElement.prototype.submit.call(form);
  });
})();
