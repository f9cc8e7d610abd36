/** The pages' one stylesheet, served as a file (/_doorman/pages.css): the CSP allows no inline style. */
export const PAGE_CSS = `*,*::before,*::after{box-sizing:border-box}
:root{--fg:#1d232b;--muted:#5b6470;--line:#d8dde3;--bg:#f5f7f9;--card:#fff;--accent:#1f5fbf;--accent-fg:#fff;--danger:#b42318;--ok:#146c2e;font-family:system-ui,-apple-system,"Segoe UI","Apple SD Gothic Neo","Noto Sans KR",sans-serif;color:var(--fg);background:var(--bg);line-height:1.5}
body{margin:0}
.top{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:.75rem 1.5rem;background:var(--card);border-bottom:1px solid var(--line)}
.top .brand{font-weight:700;color:var(--fg);text-decoration:none;margin-right:auto}
.top nav{display:flex;gap:1rem}
.top a{color:var(--accent)}
main{max-width:46rem;margin:2rem auto;padding:0 1.25rem}
h1{font-size:1.6rem;margin:0 0 1rem}
h2{font-size:1.25rem;margin:0 0 .75rem}
h3{font-size:1rem;margin:1.5rem 0 .5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1.25rem 1.5rem;margin-bottom:1rem}
.field{display:flex;flex-direction:column;margin-bottom:.9rem}
label{font-weight:600;margin-bottom:.25rem}
input,select{font:inherit;padding:.5rem .6rem;border:1px solid var(--line);border-radius:.35rem;background:#fff;color:var(--fg)}
input[aria-invalid=true],select[aria-invalid=true]{border-color:var(--danger)}
button,.button{font:inherit;font-weight:600;display:inline-block;padding:.5rem 1rem;border-radius:.35rem;border:1px solid var(--accent);background:var(--accent);color:var(--accent-fg);cursor:pointer;text-decoration:none}
button.secondary{background:#fff;color:var(--accent)}
button.danger{background:var(--danger);border-color:var(--danger)}
button:disabled{opacity:.55;cursor:progress}
:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
.error{color:var(--danger);margin:.25rem 0 0;font-size:.92rem}
.error:empty,.notice:empty{display:none}
.notice{color:var(--ok);margin:0 0 .75rem}
.form-error{margin:0 0 .75rem}
.greeting{font-size:1.3rem;font-weight:600;margin:0 0 1rem}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0 1rem}
.links{padding-left:1.1rem}
.aside{color:var(--muted);margin:1rem 0 0}
.ended{border-color:var(--danger)}
table.list{width:100%;border-collapse:collapse;margin:.5rem 0 1rem}
table.list th,table.list td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid var(--line);vertical-align:middle}
table.list th{color:var(--muted);font-size:.9rem}
.pager{display:flex;gap:.75rem;align-items:center;margin-bottom:1rem}
.search{display:flex;gap:.5rem;align-items:flex-end;margin-bottom:.5rem}
.search .field{flex:1;margin:0}
.inline{display:flex;gap:.5rem;align-items:flex-end;flex-wrap:wrap}
.inline .field{margin:0}
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}
.tags li{display:flex;gap:.4rem;align-items:center;border:1px solid var(--line);border-radius:1rem;padding:.15rem .3rem .15rem .7rem}
.tags button{padding:.1rem .5rem;font-size:.85rem}
.rows{list-style:none;padding:0;margin:0}
.rows li{padding:.4rem 0;border-bottom:1px solid var(--line)}
.rows li:last-child{border-bottom:none}
.card>p:first-child{margin-top:0}
.card>p:last-child{margin-bottom:0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dl.facts dt{font-weight:600}
dl.facts dd{margin:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
[hidden]{display:none!important}
`;
