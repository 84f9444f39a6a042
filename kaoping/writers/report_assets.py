"""The CSS, the few lines of plain JavaScript and the inline SVG chart of report.html.

Everything ships inside the page: it works offline and from a file:// URL, with nothing fetched.
"""

from __future__ import annotations

import html

from kaoping.normalize.textfold import format_number

CSS = """
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;
color:#1f2328;font-size:14px;line-height:1.5;background:#f6f8fa}
header.top{background:#fff;border-bottom:1px solid #d0d7de;padding:14px 20px}
main{padding:0 20px 40px}
h1{font-size:20px;margin:0 0 6px}h2{font-size:17px;border-bottom:2px solid #d0d7de;padding-bottom:3px;margin:26px 0 8px}
h3{font-size:15px;margin:14px 0 6px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:1px 14px;margin:6px 0;font-size:13px}
dl.facts dt{color:#57606a}dl.facts dd{margin:0;overflow-wrap:anywhere}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 0;padding:0;list-style:none}
.counts li{border:1px solid #d0d7de;border-radius:12px;padding:1px 10px;background:#f6f8fa}
.counts li.error{background:#ffebe9;border-color:#ff8182}.counts li.warning{background:#fff8c5;border-color:#d4a72c}
.counts li.info{background:#ddf4ff;border-color:#54aeff}
.filters{position:sticky;top:0;z-index:3;background:#fff;border-bottom:1px solid #d0d7de;padding:6px 20px;
display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;font-size:13px}
.filters select{font:inherit;max-width:14em}
.wrap{overflow-x:auto;background:#fff}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #d0d7de;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f3f4f6;white-space:nowrap}
table.sortable th{cursor:pointer}table.sortable th:after{content:" ⇅";color:#8c959f;font-size:11px}
td.num{text-align:right;white-space:nowrap}td.nowrap,td.code{white-space:nowrap}
td.code{font-family:ui-monospace,Menlo,Consolas,monospace}
tr.category td{background:#dbe9f9;font-weight:bold}tr.group td{background:#eaf2fc;font-weight:bold}
tr.level1 td{background:#f6f8fa}tr.total td{background:#eaf5ea;font-weight:bold}
tr.flag-error td:first-child{border-left:5px solid #cf222e}tr.flag-error td{background:#fff5f5}
tr.flag-warning td:first-child{border-left:5px solid #d4a72c}tr.flag-warning td{background:#fffbea}
tr.flag-info td:first-child{border-left:5px solid #54aeff}
tr:target td{outline:2px solid #0969da}
.ok{color:#1a7f37}.bad{color:#cf222e;font-weight:bold}.none{color:#8c959f}
.badge{display:inline-block;font-size:11.5px;line-height:1.4;padding:0 6px;border-radius:8px;margin:2px 3px 0 0;
border:1px solid;white-space:nowrap}
.badge.error{background:#ffebe9;border-color:#ff8182;color:#a40e26}
.badge.warning{background:#fff8c5;border-color:#d4a72c;color:#7d4e00}
.badge.info{background:#ddf4ff;border-color:#54aeff;color:#0550ae}
.inh{color:#6e7781;font-style:italic;border-bottom:1px dotted #8c959f}
.targets{margin:3px 0 0;font-size:12.5px;color:#0550ae}
.targets span{display:inline-block;background:#ddf4ff;border-radius:4px;padding:0 5px;margin:1px 4px 0 0}
.muted{color:#6e7781;font-size:12.5px}
td.item{min-width:16em}
svg text{font-family:inherit;font-size:12px}
a{color:#0969da}
.wrap table{min-width:760px}.wrap table#kinds{min-width:0}.wrap table.sortable{min-width:900px}
td.msg{min-width:22em}td.basis{min-width:9em}td.basis a{white-space:nowrap}
@media (min-width:1000px){dl.facts{grid-template-columns:max-content minmax(0,1fr) max-content minmax(0,1fr)}}
@media (max-width:700px){main{padding:0 8px 30px}header.top{padding:10px}.filters{padding:6px 10px}}
"""

#: filter the findings and the indicator rows by severity / kind / department; sort a table by a header click
SCRIPT = """
(function(){
var f={sev:'',kind:'',dept:''};
function has(list,v){return !v||('|'+(list||'')+'|').indexOf('|'+v+'|')>=0}
function apply(){
 document.querySelectorAll('[data-sev]').forEach(function(r){
  var show=has(r.dataset.sev,f.sev)&&has(r.dataset.kind,f.kind)&&has(r.dataset.dept,f.dept);
  r.style.display=show?'':'none';});
 var n=document.querySelectorAll('#finding-rows tr[data-sev]:not([style*="none"])').length;
 document.getElementById('shown').textContent=n;}
document.querySelectorAll('.filters select').forEach(function(s){
 s.addEventListener('change',function(){f[s.name]=s.value;apply();});});
document.querySelectorAll('table.sortable th').forEach(function(th,i){
 th.addEventListener('click',function(){
  var body=th.closest('table').tBodies[0],rows=Array.prototype.slice.call(body.rows);
  var dir=th.dataset.dir==='1'?-1:1;th.dataset.dir=dir===1?'1':'-1';
  rows.sort(function(a,b){var x=a.cells[i].dataset.key||a.cells[i].textContent,
   y=b.cells[i].dataset.key||b.cells[i].textContent;
   return (x.localeCompare(y,'zh-CN',{numeric:true}))*dir;});
  rows.forEach(function(r){body.appendChild(r);});});});
})();
"""

BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, CHART_WIDTH = 20, 6, 150, 720  # px; labels fit 9 CJK characters at 12px


def weight_chart(weights: list[tuple[str, float]], total: float) -> str:
    """Horizontal bars, one per department, longest first, as inline SVG (scales with the page)."""
    if not weights or total <= 0:
        return '<p class="muted">没有权重可画。</p>'
    top = max(w for _, w in weights)
    span = CHART_WIDTH - LABEL_WIDTH - 110  # room for the value label after the longest bar
    height = len(weights) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    bars = []
    for k, (dept, weight) in enumerate(weights):
        y = BAR_GAP + k * (BAR_HEIGHT + BAR_GAP)
        length = max(1.0, span * weight / top)
        percent = f"{weight / total:.0%}" if weight / total >= 0.005 else "<1%"
        share = f"{format_number(round(weight, 2))}（{percent}）"
        bars.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">{html.escape(dept)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="#54aeff" rx="3">'
            f"<title>{html.escape(dept)}：{share}</title></rect>"
            f'<text x="{LABEL_WIDTH + length + 5:.1f}" y="{y + 14}">{share}</text>')
    return (f'<svg viewBox="0 0 {CHART_WIDTH} {height}" width="100%" style="max-width:{CHART_WIDTH}px" '
            f'role="img" aria-label="各责任部门权重">{"".join(bars)}</svg>')
