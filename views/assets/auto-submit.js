// Posts the bridge's answer back to the site without a click; the button remains for no-JS browsers.
document.querySelector('form[data-auto-submit]')?.submit();
