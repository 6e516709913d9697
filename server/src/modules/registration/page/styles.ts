/**
 * The registration page's styles, inlined in its <style> (the app's CSP allows inline
 * styles, not inline scripts). Mobile first: one column, 16px text so iOS does not zoom
 * into inputs, tap targets at least 44px high.
 */
export const PAGE_CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f5f7fa;color:#303133;font:16px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
main{max-width:480px;margin:0 auto;padding:16px 16px 40px}
header{padding:20px 4px 12px}
header .store{margin:0;color:#909399;font-size:14px}
header h1{margin:4px 0 0;font-size:22px;line-height:1.3;word-break:break-word}
.lang{float:right;font-size:14px;color:#409eff;text-decoration:none;padding:4px 0}
.card{background:#fff;border-radius:12px;padding:16px;margin-bottom:12px;box-shadow:0 1px 3px rgba(0,0,0,.06)}
.field{margin-bottom:16px}
.field:last-child{margin-bottom:0}
.field>label:not(.check),.field>.label{display:block;margin-bottom:6px;font-size:15px;color:#606266}
.req{color:#f56c6c;margin-left:2px}
input[type=text],input[type=tel],input[type=email],input[type=url],input[type=number],input[type=date],input[type=datetime-local],select,textarea{width:100%;min-height:44px;padding:10px 12px;border:1px solid #dcdfe6;border-radius:8px;background:#fff;font:inherit;color:inherit;-webkit-appearance:none;appearance:none}
textarea{min-height:88px;resize:vertical}
select{padding-right:32px;background:#fff url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='12' height='8'%3E%3Cpath d='M1 1l5 5 5-5' fill='none' stroke='%23909399' stroke-width='1.5'/%3E%3C/svg%3E") no-repeat right 12px center}
input:focus,select:focus,textarea:focus{outline:none;border-color:#409eff;box-shadow:0 0 0 2px rgba(64,158,255,.2)}
.invalid input,.invalid select,.invalid textarea{border-color:#f56c6c}
.row{display:flex;gap:8px}
.row>*{flex:1;min-width:0}
.row>button{flex:0 0 auto}
.choices{display:flex;flex-wrap:wrap;gap:8px 16px}
.choices label{display:flex;align-items:center;gap:6px;min-height:36px}
.check{display:flex;gap:8px;align-items:flex-start;font-size:14px;color:#606266;margin:12px 0 0}
.check input{width:20px;height:20px;margin:2px 0 0;flex:0 0 auto}
.field .check{margin:0;min-height:36px;align-items:center}
.field .check input{margin:0}
.help{margin:4px 0 0;font-size:13px;color:#909399}
.error{margin:4px 0 0;font-size:13px;color:#f56c6c}
.error:empty{display:none}
button{min-height:44px;padding:0 16px;border:0;border-radius:8px;font:inherit;cursor:pointer}
button[disabled]{opacity:.6;cursor:default}
.secondary{background:#ecf5ff;color:#409eff;white-space:nowrap}
.primary{width:100%;margin-top:16px;background:#409eff;color:#fff;font-size:17px}
details{font-size:14px;color:#606266}
summary{cursor:pointer;color:#409eff;min-height:32px}
.notice{margin-top:8px;max-height:50vh;overflow:auto;white-space:pre-wrap;word-break:break-word;padding:12px;background:#f5f7fa;border-radius:8px}
.alert{margin:12px 0 0;padding:10px 12px;border-radius:8px;background:#fef0f0;color:#f56c6c;font-size:14px}
.alert:empty{display:none}
.done{text-align:center;padding:32px 16px}
.done h1{margin:0 0 8px;font-size:22px}
.done .mark{width:64px;height:64px;margin:0 auto 12px;border-radius:50%;background:#67c23a;color:#fff;font-size:36px;line-height:64px}
.done .card-no{margin:12px 0;font-size:28px;font-weight:600;letter-spacing:2px;font-variant-numeric:tabular-nums}
.muted{color:#909399;font-size:14px}
[hidden]{display:none!important}
`;
