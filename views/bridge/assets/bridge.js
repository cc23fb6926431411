// The bridge pages' only script (CSP script-src 'self'): everything works without it; it adds our own
// PIN-length message, the live PIN rules, focus on errors, and the card's progress while it works.
(function () {
  'use strict';
  var EIGHT_DIGITS = /^[0-9]{8}$/;

  // An error summary or notice gets the focus, so a screen reader reads it first.
  var focusTarget = document.querySelector('[data-focus-on-load]');
  if (focusTarget) focusTarget.focus();

  // PIN page: our message for a PIN that is not 8 digits (the form is novalidate), and the progress page.
  var pinForm = document.querySelector('[data-pin-form]');
  if (pinForm) {
    var progress = document.createElement('input');
    progress.type = 'hidden';
    progress.name = 'progress';
    progress.value = '1';
    pinForm.appendChild(progress);
    pinForm.addEventListener('submit', function (event) {
      var pin = document.getElementById('pin');
      var error = document.getElementById('pin-error');
      if (EIGHT_DIGITS.test(pin.value)) return;
      event.preventDefault();
      error.textContent = pinForm.getAttribute('data-invalid-message');
      error.hidden = false;
      error.setAttribute('role', 'alert');
      pin.setAttribute('aria-invalid', 'true');
      pin.focus();
    });
  }

  // New PIN rules, checked as the citizen types (the server checks them again).
  var policy = document.querySelector('[data-pin-policy]');
  if (policy) {
    var next = document.getElementById('next');
    var again = document.getElementById('again');
    var isRun = function (value, step) {
      for (var i = 1; i < value.length; i += 1) if (Number(value[i]) - Number(value[i - 1]) !== step) return false;
      return true;
    };
    var update = function () {
      var value = next.value;
      var valid = EIGHT_DIGITS.test(value);
      var rules = {
        length: valid,
        repeated: valid && !isRun(value, 0),
        sequence: valid && !isRun(value, 1) && !isRun(value, -1),
        same: valid && value === again.value,
      };
      Object.keys(rules).forEach(function (name) {
        var item = policy.querySelector('[data-rule="' + name + '"]');
        var met = rules[name];
        item.className = value === '' ? '' : met ? 'met' : 'not-met';
        item.querySelector('[data-rule-state]').textContent = value === '' ? '' : '(' + policy.getAttribute(met ? 'data-met' : 'data-not-met') + ')';
      });
    };
    next.addEventListener('input', update);
    again.addEventListener('input', update);
  }

  // Progress page: ask the bridge which card steps are done, then open the outcome.
  var steps = document.querySelector('[data-progress]');
  if (steps) {
    var job = steps.getAttribute('data-job');
    var live = document.getElementById('progress-live');
    var result = '/login/result?job=' + encodeURIComponent(job);
    var show = function (done) {
      done.forEach(function (name) {
        var item = steps.querySelector('[data-step="' + name + '"]');
        if (!item || item.classList.contains('done')) return;
        item.classList.add('done');
        item.querySelector('.bridge-step-state').textContent = '(' + steps.getAttribute('data-done-label') + ')';
        live.textContent = item.firstElementChild.nextSibling.textContent.trim();
      });
    };
    var poll = function () {
      fetch('/login/status?job=' + encodeURIComponent(job), { cache: 'no-store', credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.json() : { state: 'finished', steps: [] }; })
        .then(function (status) {
          show(status.steps || []);
          if (status.state === 'finished') window.location.replace(result);
          else window.setTimeout(poll, 250);
        })
        .catch(function () { window.location.replace(result); });
    };
    poll();
  }
})();
