// The files' pages (web/FilesPage): uploads by picker or drag and drop, and a refresh of the parts marked
// data-live while a file is in progress. Nothing here is needed to read the pages.
(function () {
  'use strict';

  var REFRESH_MS = 2000;

  // Spring Security hands the CSRF token out in this cookie and expects it back in the X-XSRF-TOKEN header.
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : '';
  }

  function scheduleRefresh() {
    if (document.querySelector('[data-refresh="true"]')) {
      window.setTimeout(refresh, REFRESH_MS);
    }
  }

  // Fetches this page again and swaps in its live parts, leaving the rest (and the focus there) alone.
  function refresh() {
    fetch(window.location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html');
          document.querySelectorAll('[data-live]').forEach(function (part) {
            var replacement = fresh.getElementById(part.id);
            if (replacement) {
              part.replaceWith(document.importNode(replacement, true));
            }
          });
        }
        scheduleRefresh();
      }, scheduleRefresh);
  }

  function setUpUpload(form) {
    var input = form.querySelector('input[type=file]');
    var status = document.getElementById('upload-status');
    var zone = document.getElementById('upload-zone');
    var max = Number(form.dataset.max);

    function say(text) {
      var item = document.createElement('li');
      item.textContent = text;
      status.appendChild(item);
    }

    function upload(file, tenant) {
      if (file.size > max) {
        say(file.name + ': not uploaded. ' + form.dataset.maxText);
        return Promise.resolve();
      }
      var body = new FormData();
      body.append('file', file);
      if (tenant !== null) {
        body.append('tenant', tenant);
      }
      return fetch(form.action, {
        method: 'POST', body: body, credentials: 'same-origin',
        headers: { 'X-XSRF-TOKEN': csrfToken(), Accept: 'application/json' }
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          say(response.status === 202
            ? file.name + ': uploaded, in the inbox as ' + answer.name + '.'
            : file.name + ': not uploaded. ' + (answer.error || 'The service answered ' + response.status + '.'));
        });
      }, function () {
        say(file.name + ': not uploaded: the service could not be reached.');
      });
    }

    function uploadAll(files) {
      // With several tenants the form names whose inbox the files go to; read now, before the form is reset.
      var tenant = form.elements.tenant ? form.elements.tenant.value : null;
      Array.prototype.reduce.call(files, function (previous, file) {
        return previous.then(function () { return upload(file, tenant); });
      }, Promise.resolve()).then(refresh);
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      uploadAll(input.files);
      form.reset();
    });
    zone.addEventListener('dragover', function (event) {
      event.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', function () {
      zone.classList.remove('dragging');
    });
    zone.addEventListener('drop', function (event) {
      event.preventDefault();
      zone.classList.remove('dragging');
      uploadAll(event.dataTransfer.files);
    });
  }

  var form = document.getElementById('upload');
  if (form) {
    setUpUpload(form);
  }
  scheduleRefresh();
})();
