// The desktop + smartphone page learns each step by server push (docs/app-protocol.md, "Server push"):
// the live region shows the step's words, the OTP field gets the focus when the app has the code,
// and a failed or expired session reloads the page, which then shows why and the way back.
(() => {
  const step = document.getElementById('phone-step');
  if (!step || !window.EventSource) return;
  const events = new EventSource(step.dataset.events);
  events.addEventListener('state', (event) => {
    let view;
    try {
      view = JSON.parse(event.data);
    } catch {
      return;
    }
    const words = step.dataset[`step${view.state.replace(/(^|_)([a-z])/g, (_m, _s, c) => c.toUpperCase())}`];
    if (view.state === step.dataset.state) return;
    step.dataset.state = view.state;
    if (words) step.textContent = words;
    if (view.state === 'assertion_verified') document.getElementById('otp')?.focus();
    if (view.state === 'failed' || view.state === 'expired') {
      events.close();
      window.location.reload();
    }
  });
})();
