package serve

// liveScript is served at /__loa/live.js and added to every HTML page in the
// preview. It listens to the server's events: "reload" reloads the page and
// restores its scroll position; "errors" shows the diagnostics of a failed
// build in an overlay (built with DOM calls and textContent, so nothing in a
// message is ever parsed as HTML). It sets styles through the CSSOM, which a
// Content-Security-Policy without 'unsafe-inline' still allows.
const liveScript = `(function () {
  "use strict";
  var me = document.currentScript;
  var shown = me ? Number(me.getAttribute("data-loa-build")) : 0;
  var key = "loa-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = Number(saved);
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    var restore = function () { window.scrollTo(0, y); document.documentElement.setAttribute("data-loa-restored", String(y)); };
    if (document.readyState === "complete") restore(); else window.addEventListener("load", restore);
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function overlay(data) {
    var old = document.getElementById("loa-overlay");
    if (old) old.remove();
    var box = document.createElement("div");
    box.id = "loa-overlay";
    box.setAttribute("role", "alert");
    box.setAttribute("lang", "vi");
    var st = box.style;
    st.position = "fixed"; st.left = "0"; st.right = "0"; st.bottom = "0"; st.maxHeight = "60vh"; st.overflow = "auto";
    st.zIndex = "2147483647"; st.background = "#fff4f4"; st.color = "#5c0000"; st.borderTop = "4px solid #b00020";
    st.padding = "1em 1.25em"; st.font = "15px/1.5 system-ui, sans-serif"; st.boxShadow = "0 -4px 16px rgba(0,0,0,.25)";
    var h = document.createElement("p");
    h.style.fontWeight = "bold"; h.style.margin = "0 0 .5em";
    h.textContent = "Không dựng được trang web. Trang đang hiển thị là bản cũ; sửa các lỗi dưới đây rồi lưu lại (build failed; showing the last good version):";
    box.appendChild(h);
    var pre = document.createElement("pre");
    pre.style.whiteSpace = "pre-wrap"; pre.style.margin = "0"; pre.style.font = "14px/1.5 ui-monospace, monospace";
    var lines = (data.errors || []).map(function (e) {
      return (e.position ? e.position + ": " : "") + e.message;
    });
    pre.textContent = lines.join("\n");
    box.appendChild(pre);
    var close = document.createElement("button");
    close.type = "button"; close.textContent = "Đóng (close)"; close.style.marginTop = ".75em";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    (document.body || document.documentElement).appendChild(box);
  }
  var es = new EventSource("/__loa/events");
  es.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    if (d.build !== shown) reload();
    else document.documentElement.setAttribute("data-loa-live", String(d.build));
  });
  es.addEventListener("reload", reload);
  es.addEventListener("errors", function (e) { overlay(JSON.parse(e.data)); });
})();
`

// placeholderPage is served while no build has succeeded yet (the first
// build is running, or it failed: then the overlay shows why); the page
// reloads when the site builds.
const placeholderPage = `<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>loa: đang dựng trang</title></head>
<body>
<h1>Trang web đang được dựng hoặc chưa dựng được</h1>
<p>Trang này tự tải lại khi dựng xong. Nếu có lỗi, danh sách lỗi hiện ở cuối trang: sửa rồi lưu tệp.</p>
<p lang="en">The site is building, or its build failed (the errors are listed below). This page reloads when the site is built.</p>
</body>
</html>
`
