// service worker: see pwa/js
