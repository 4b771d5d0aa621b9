// Counts one view of this article for "Others are reading now": no cookie, nothing stored in
// the browser. Browsers that block beacons, or run no JavaScript, send nothing (or the
// <noscript> image instead).
(function () {
  var script = document.currentScript;
  var id = script && script.getAttribute("data-article");
  if (!id || !navigator.sendBeacon || document.prerendering) return;
  navigator.sendBeacon("/beacon", new Blob([id], { type: "application/x-courant-view" }));
})();
