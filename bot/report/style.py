"""The report's stylesheet, inlined in the page: light and dark (``prefers-color-scheme``), a
fluid single column that reads on a phone, and the sentence pop-overs shown on hover or focus
with CSS alone (on a narrow screen, pinned to the bottom of it)."""

CSS = """
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#59626d;--line:#d8dde3;
--card:#f3f5f8;--heat:37,99,235;--warn:194,65,12;--answered:#1a8f5a;--partial:#2f6fc0;
--did_you_mean:#c98a00;--refused:#c0392b;--pop:#fff;--shadow:0 6px 20px rgba(0,0,0,.18)}
@media (prefers-color-scheme:dark){:root{--bg:#14171b;--fg:#e6e9ed;--muted:#9aa4af;
--line:#343b44;--card:#1e232a;--heat:96,165,250;--warn:251,146,60;--answered:#34c17f;
--partial:#6aa6f0;--did_you_mean:#f0b429;--refused:#ef6b5b;--pop:#252b33;
--shadow:0 6px 20px rgba(0,0,0,.5)}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);overflow-wrap:break-word;
font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",sans-serif}
header,main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.25rem}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 .5rem}
h2{font-size:1.25rem;margin:2.25rem 0 .5rem;padding-top:.5rem;border-top:1px solid var(--line)}
h3{font-size:1.05rem;margin:1.5rem 0 .4rem}
.meta,.note,.legend,footer{color:var(--muted);font-size:.9rem}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:.5rem 0}
a{color:rgb(var(--heat))}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.5rem;
list-style:none;padding:0;margin:.75rem 0}
.cards li{background:var(--card);border-radius:8px;padding:.6rem .8rem}
.cards b{display:block;font-size:1.4rem;font-variant-numeric:tabular-nums}
.article{max-width:42rem}
.para{margin:0 0 .9rem}
.para.title{font-size:1.1rem;font-weight:600}
.num{display:inline-block;min-width:1.8em;color:var(--muted);font-size:.8em;
font-weight:normal;font-variant-numeric:tabular-nums}
.s{position:relative;border-radius:3px;cursor:help;padding:.05em 0}
.s:focus{outline:2px solid rgb(var(--heat));outline-offset:1px}
.h1{background:rgba(var(--heat),.10)}.h2{background:rgba(var(--heat),.20)}
.h3{background:rgba(var(--heat),.30)}.h4{background:rgba(var(--heat),.42)}
.h5{background:rgba(var(--heat),.55)}
.unsure{text-decoration:underline wavy rgba(var(--warn),.5);text-decoration-thickness:1px;
text-underline-offset:3px;text-decoration-skip-ink:none}
.unsure.many{text-decoration-color:rgb(var(--warn));text-decoration-thickness:2px}
.uncited{border-bottom:2px dotted var(--muted)}
.pop{display:none;position:absolute;left:0;top:calc(100% + 4px);z-index:10;
width:min(24rem,85vw);padding:.6rem .75rem;background:var(--pop);color:var(--fg);
border:1px solid var(--line);border-radius:8px;box-shadow:var(--shadow);font-size:.85rem;
line-height:1.4;font-weight:normal;text-decoration:none;cursor:auto}
.pop>span{display:block;margin-top:.3rem}.pop>span:first-child{margin-top:0}
.s:hover>.pop,.s:focus>.pop{display:block}
@media (max-width:40rem){.s:hover>.pop,.s:focus>.pop{position:fixed;left:.5rem;right:.5rem;
top:auto;bottom:.5rem;width:auto;max-height:50vh;overflow:auto}}
.keys{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;padding:0;margin:.5rem 0;
font-size:.9rem}
.k{display:inline-block;width:.85em;height:.85em;border-radius:2px;margin-right:.35em;
vertical-align:-.08em}
.k.answered{background:var(--answered)}.k.partial{background:var(--partial)}
.k.did_you_mean{background:var(--did_you_mean)}.k.refused{background:var(--refused)}
.k.rate{background:var(--answered);height:.2em;vertical-align:.2em}
.chart{display:block;width:100%;height:auto;margin:.5rem 0 1rem}
.chart .grid{stroke:var(--line);stroke-width:1}
.chart .axis{fill:var(--muted);font-size:11px}
.chart rect.answered{fill:var(--answered)}.chart rect.partial{fill:var(--partial)}
.chart rect.did_you_mean{fill:var(--did_you_mean)}.chart rect.refused{fill:var(--refused)}
.chart polyline.rate{fill:none;stroke:var(--answered);stroke-width:2;stroke-linejoin:round}
.chart circle.rate{fill:var(--answered)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{padding:.35rem .5rem;border-bottom:1px solid var(--line);text-align:left;
vertical-align:top}
th{font-weight:600;color:var(--muted)}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
code{font-size:.85em;color:var(--muted);overflow-wrap:anywhere}
.alike{color:var(--muted);font-size:.85em;white-space:nowrap}
details{margin:.5rem 0}summary{cursor:pointer;color:var(--muted)}
footer{margin-top:2.5rem;padding-bottom:2rem;border-top:1px solid var(--line)}
"""
