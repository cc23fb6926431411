// The waiting page of an app approval (QR or push; docs/app-protocol.md "Level 2: the app as a factor"):
// polls the approval's status, writes its words into the live region, and once the app has answered
// (approved, denied, failed, expired) submits the "Continua" form, which hands the outcome to the waiter.
(() => {
  const status = document.getElementById('app-status');
  const finish = document.getElementById('finish-form');
  if (!status || !finish || !window.fetch) return;
  const final = new Set(['approved', 'denied', 'failed', 'expired']);
  let done = false;
  const poll = async () => {
    if (done) return;
    try {
      const answer = await fetch(status.dataset.status, { headers: { accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' });
      const view = await answer.json();
      if (view.state && view.state !== status.dataset.state) {
        status.dataset.state = view.state;
        const words = status.dataset[`state${view.state[0].toUpperCase()}${view.state.slice(1)}`];
        if (words) status.textContent = words;
      }
      if (final.has(view.state) || answer.status === 404) {
        done = true;
        finish.submit();
        return;
      }
    } catch {
      // A network hiccup: the next round asks again.
    }
    setTimeout(poll, 2000);
  };
  setTimeout(poll, 1000);
})();
