// Injected markup the feedback must show as inert text: script tags, event handlers,
// javascript: and data: URLs, SVG and MathML, broken markup, CSS injection, RTL overrides and
// zero-width characters, very long words. Each payload that could run sets window.__xss or calls
// alert(); the test checks that neither happened and that no element was made from them.
// 160 entries: every base payload once as a message and again as a name (cut to 80 characters).

const base = [
  // script
  '<script>window.__xss=1</script>',
  '<SCRIPT SRC=//xss.example/x.js></SCRIPT>',
  '<script>alert(document.domain)</script>',
  '"><script>window.__xss=2</script>',
  "'><script>window.__xss=3</script>",
  '</textarea><script>window.__xss=4</script>',
  '</li></ol><script>window.__xss=5</script>',
  '<scr<script>ipt>window.__xss=6</scr</script>ipt>',
  '<script type="module">window.__xss=7</script>',
  '<noscript><p title="</noscript><img src=x onerror=window.__xss=8>">',
  // event handlers
  '<img src=x onerror="window.__xss=9">',
  '<img src="x" onerror=alert(1)//',
  '<body onload=window.__xss=10>',
  '<svg onload=window.__xss=11>',
  '<div onmouseover="window.__xss=12">rê chuột vào đây</div>',
  '<input autofocus onfocus=window.__xss=13>',
  '<details open ontoggle=window.__xss=14>',
  '<video><source onerror="window.__xss=15"></video>',
  '<audio src=x onerror=window.__xss=16>',
  '<marquee onstart=window.__xss=17>chạy chữ</marquee>',
  '<select autofocus onfocus=window.__xss=18></select>',
  '<iframe onload=window.__xss=19></iframe>',
  '<object data=x onerror=window.__xss=20></object>',
  '<a onclick=window.__xss=21>bấm vào đây</a>',
  '<form><button formaction=javascript:window.__xss=22>gửi</button></form>',
  // javascript: and data: URLs
  '<a href="javascript:window.__xss=23">bấm vào đây</a>',
  '<a href="JaVaScRiPt:alert(1)">liên kết</a>',
  '<a href="&#106;avascript:alert(1)">mã hóa</a>',
  '<a href="java\u200bscript:alert(1)">rỗng</a>',
  '<iframe src="javascript:parent.__xss=24"></iframe>',
  '<a href="data:text/html,<script>alert(1)</script>">dữ liệu</a>',
  '<iframe src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></iframe>',
  '<embed src="data:image/svg+xml,<svg onload=alert(1)>">',
  '<object data="javascript:alert(1)"></object>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  'javascript:window.__xss=25',
  // SVG and MathML
  '<svg><script>window.__xss=26</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>bấm</text></a></svg>',
  '<svg><animate onbegin=window.__xss=27 attributeName=x dur=1s>',
  '<svg><foreignObject><img src=x onerror=window.__xss=28></foreignObject></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=29>',
  '<math href="javascript:alert(1)">CLICKME</math>',
  '<math><maction actiontype="statusline#" xlink:href="javascript:alert(1)">bấm</maction></math>',
  '<svg><style>*{display:none}</style></svg>',
  // broken markup
  '<img src="x" alt="unclosed',
  '<<img src=x onerror=window.__xss=30>>',
  '<!--<img src=x onerror=window.__xss=31>-->',
  '<![CDATA[<img src=x onerror=window.__xss=32>]]>',
  '<div><span><p>chưa đóng thẻ nào cả',
  '</div></section></main></body></html>',
  '<?xml version="1.0"?><x:script xmlns:x="http://www.w3.org/1999/xhtml">alert(1)</x:script>',
  '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#60;b&#62;',
  '<template><img src=x onerror=window.__xss=33></template>',
  '<slot name=x></slot><bangtin-feedback article=x></bangtin-feedback>',
  // CSS injection
  '<style>*{display:none!important}</style>',
  '<style>body{background:url("javascript:alert(1)")}</style>',
  '<div style="position:fixed;inset:0;background:red;z-index:99999">che cả trang</div>',
  '<link rel=stylesheet href=//xss.example/x.css>',
  '"><style>@import "//xss.example/x.css";</style>',
  '<p style="font-size:900px">chữ thật to</p>',
  'expression(alert(1)) behavior:url(x.htc) -moz-binding:url(x)',
  '</style><style>:host{display:none}</style>',
  // RTL overrides and zero-width characters
  '\u202Eđảo chiều văn bản\u202C rồi trở lại',
  'tên\u200Bcó\u200Bký\u200Btự\u200Brỗng\u200D và\u2060nối',
  '\u2066cô lập\u2069 \u2067phải sang trái\u2069',
  'cmd.exe\u202Etxt.exe',
  'BOM \uFEFF ở giữa và \u00AD gạch mềm',
  'Tiếng Việt tổ hợp: Tie\u0302\u0301ng Vie\u0323\u0302t',
  // very long words
  'Rấtdàikhôngcókhoảngtrắng'.repeat(40),
  'https://baosonglam.example/' + 'a'.repeat(600),
  'x'.repeat(2900),
  '🇻🇳'.repeat(200),
  'ĐƯỜNGDÀI'.repeat(120),
  // templates and prototype tricks
  '{{constructor.constructor("window.__xss=34")()}}',
  '${window.__xss=35}',
  '__proto__ constructor prototype toString',
  '<img src=x onerror=window.__xss=36 /> [object Object] undefined null NaN',
  '" onmouseover="window.__xss=37" data-like="',
  "' onfocus='window.__xss=38' autofocus='",
  '<a data-like="1" class="more">Xem thêm</a>',
];

const pad = (text, i) => (text.trim().length >= 10 ? text : `${text} — thử số ${i}`);

export const payloads = [];
base.forEach((payload, i) => {
  // As the message, under a plain name.
  payloads.push({ name: `Bạn đọc ${i + 1}`, message: `${pad(payload, i)} #${i}` });
  // As the name (cut to 80 characters), under a plain message.
  payloads.push({ name: Array.from(payload.trim() || `x${i}`).slice(0, 80).join('').trim() || `x${i}`, message: `Phản hồi có tên lạ số ${i}.` });
});
