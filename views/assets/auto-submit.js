// Submits a page's form without a click (the bridge's answer, the demo RP's POST to /auth); the button remains for no-JS browsers.
document.querySelector('form[data-auto-submit]')?.submit();
