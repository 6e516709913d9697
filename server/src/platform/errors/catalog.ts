/**
 * Every error code a client can receive, with its HTTP status and its message in both
 * languages. Codes are stable API: clients branch on them, so never rename one.
 * `{name}` placeholders are filled from the error's params.
 */
export const ERROR_CATALOG = {
  VALIDATION_FAILED: {
    status: 422,
    zh: '提交的数据有误，请检查标出的字段',
    en: 'Some fields are invalid; check the fields listed',
  },
  MALFORMED_JSON: {
    status: 400,
    zh: '请求体不是合法的 JSON：{reason}',
    en: 'The request body is not valid JSON: {reason}',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    zh: '请求体过大，上限为 {limit}',
    en: 'The request body is too large; the limit is {limit}',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    zh: '请求体须为 application/json',
    en: 'The request body must be application/json',
  },
  BAD_REQUEST: { status: 400, zh: '请求无法处理：{reason}', en: 'The request cannot be processed: {reason}' },
  NOT_FOUND: { status: 404, zh: '接口不存在：{method} {path}', en: 'No such endpoint: {method} {path}' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '该接口不支持 {method} 方法', en: 'This endpoint does not accept {method}' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please log in first' },
  SESSION_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired; please log in again' },
  FORBIDDEN: { status: 403, zh: '没有权限：需要 {permission}', en: 'Permission denied: {permission} is required' },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    zh: '请先修改初始密码',
    en: 'You must change your initial password first',
  },
  INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试',
    en: 'Too many wrong passwords; the account is locked, try again in {minutes} minutes',
  },
  LOGIN_RATE_LIMITED: {
    status: 429,
    zh: '该网络地址登录失败次数过多，请 {minutes} 分钟后再试',
    en: 'Too many failed logins from this address; try again in {minutes} minutes',
  },
  ACCOUNT_DISABLED: { status: 403, zh: '账号已停用，请联系管理员', en: 'This account is disabled; contact an administrator' },
  PLAIN_PASSWORD_NOT_ALLOWED: {
    status: 400,
    zh: '本服务器要求密码加密传输，请使用控制台登录',
    en: 'This server requires the password to be sent encrypted; log in through the console',
  },
  ENCRYPTED_PAYLOAD_INVALID: {
    status: 400,
    zh: '加密数据无法解密，请刷新页面后重试',
    en: 'The encrypted data cannot be decrypted; reload the page and try again',
  },
  NONCE_INVALID: {
    status: 400,
    zh: '登录请求已失效或被重复提交，请重试',
    en: 'The login request has expired or was already used; please try again',
  },
  CURRENT_PASSWORD_WRONG: { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  PASSWORD_POLICY: {
    status: 422,
    zh: '新密码不符合密码策略',
    en: 'The new password does not meet the password policy',
  },
  STORE_NOT_FOUND: { status: 404, zh: '门店 {id} 不存在', en: 'Store {id} does not exist' },
  STORE_CODE_TAKEN: { status: 409, zh: '门店编码 {code} 已被使用', en: 'Store code {code} is already in use' },
  ROLE_NOT_FOUND: { status: 404, zh: '角色 {id} 不存在', en: 'Role {id} does not exist' },
  ROLE_CODE_TAKEN: { status: 409, zh: '角色编码 {code} 已被使用', en: 'Role code {code} is already in use' },
  ROLE_BUILTIN: { status: 409, zh: '内置角色不能删除', en: 'Built-in roles cannot be deleted' },
  ROLE_IN_USE: {
    status: 409,
    zh: '还有 {count} 名员工拥有该角色，请先移除',
    en: '{count} staff members still hold this role; remove it from them first',
  },
  SUPER_ADMIN_FIXED: {
    status: 409,
    zh: '超级管理员角色固定拥有全部权限与全部门店',
    en: 'The super admin role always holds every permission and every store',
  },
  UNKNOWN_FIELD_POLICY: { status: 422, zh: '未知的字段：{keys}', en: 'Unknown field(s): {keys}' },
  UNKNOWN_PERMISSION: { status: 422, zh: '未知的权限：{codes}', en: 'Unknown permission(s): {codes}' },
  USER_NOT_FOUND: { status: 404, zh: '员工 {id} 不存在', en: 'Staff member {id} does not exist' },
  USERNAME_TAKEN: { status: 409, zh: '用户名 {username} 已被使用', en: 'Username {username} is already in use' },
  SESSION_NOT_FOUND: { status: 404, zh: '会话 {id} 不存在', en: 'Session {id} does not exist' },
  CANNOT_GRANT: {
    status: 403,
    zh: '不能授予超出自身的权限或门店：{what}',
    en: 'You cannot grant permissions or stores you do not hold yourself: {what}',
  },
  LAST_SUPER_ADMIN: {
    status: 409,
    zh: '至少要保留一名启用的超级管理员',
    en: 'At least one active super admin must remain',
  },
  API_KEY_NOT_FOUND: { status: 404, zh: 'API 密钥 {id} 不存在', en: 'API key {id} does not exist' },
  API_KEY_INVALID: {
    status: 401,
    zh: 'API 密钥无效、已过期或已吊销',
    en: 'The API key is invalid, expired or revoked',
  },
  API_KEY_RATE_LIMITED: {
    status: 429,
    zh: 'API 密钥请求过于频繁，每分钟上限 {limit} 次',
    en: 'Too many requests for this API key; the limit is {limit} per minute',
  },
  AUDIT_LOG_NOT_FOUND: { status: 404, zh: '操作日志 {id} 不存在', en: 'Audit record {id} does not exist' },
  JOB_NOT_FOUND: { status: 404, zh: '任务定义 {name} 不存在', en: 'No job named {name}' },
  JOB_NOT_RUNNABLE: {
    status: 409,
    zh: '任务 {name} 由具体操作（如导出）发起，不能手动运行、停用或启用',
    en: 'Job {name} is started by an action (such as an export); it cannot be run, disabled or enabled by hand',
  },
  JOB_DISABLED: { status: 409, zh: '任务 {name} 已停用，请先启用', en: 'Job {name} is disabled; enable it first' },
  TASK_NOT_FOUND: { status: 404, zh: '后台任务 {id} 不存在', en: 'Background task {id} does not exist' },
  TASK_NOT_FINISHED: {
    status: 409,
    zh: '后台任务 {id} 尚未成功完成，没有可下载的文件',
    en: 'Background task {id} has not finished successfully; there is no file yet',
  },
  TASK_HAS_NO_OUTPUT: { status: 404, zh: '后台任务 {id} 没有生成文件', en: 'Background task {id} produced no file' },
  TASK_OUTPUT_EXPIRED: {
    status: 410,
    zh: '后台任务 {id} 的文件已过保留期被删除，请重新发起',
    en: 'The file of background task {id} was deleted after its retention period; start the task again',
  },
  TASK_FAILED: {
    status: 500,
    zh: '后台任务执行出错，请将任务编号 {id} 提供给管理员',
    en: 'The background task failed; give task id {id} to your administrator',
  },
  SERVICE_UNAVAILABLE: {
    status: 503,
    zh: '服务正在启动或数据库不可用，请稍后再试',
    en: 'The service is starting or its database is unavailable; try again shortly',
  },
  INTERNAL: {
    status: 500,
    zh: '服务器内部错误，请将请求编号 {requestId} 提供给管理员',
    en: 'Internal server error; give request id {requestId} to your administrator',
  },
  FIELD_NOT_EDITABLE: {
    status: 403,
    zh: '没有修改以下字段的权限：{fields}',
    en: 'You may not change these fields: {fields}',
  },
  FIELD_FILTER_FORBIDDEN: {
    status: 403,
    zh: '没有按以下字段筛选、排序或搜索的权限：{fields}',
    en: 'You may not filter, sort or search by these fields: {fields}',
  },
  FIELD_NOT_FILTERABLE: {
    status: 400,
    zh: '以下字段不支持这种筛选、排序或搜索：{fields}',
    en: 'These fields cannot be filtered, sorted or searched this way: {fields}',
  },
  FIELD_NOT_REVEALABLE: {
    status: 403,
    zh: '以下字段无法查看明文（不存在或对您隐藏）：{fields}',
    en: 'These fields cannot be revealed (unknown, or hidden from you): {fields}',
  },
  MEMBER_NOT_FOUND: { status: 404, zh: '会员 {id} 不存在', en: 'Member {id} does not exist' },
  MEMBER_NOT_FOUND_BY_LOOKUP: {
    status: 404,
    zh: '没有找到该手机号或卡号的会员',
    en: 'No member has this phone number or card number',
  },
  MEMBER_PHONE_TAKEN: {
    status: 409,
    zh: '该手机号已是会员，卡号 {cardNo}',
    en: 'This phone number already belongs to a member, card number {cardNo}',
  },
  MEMBER_PHONE_TAKEN_ELSEWHERE: {
    status: 409,
    zh: '该手机号已在其他门店注册为会员，请联系该门店或管理员',
    en: 'This phone number is already registered at another store; contact that store or an administrator',
  },
  MEMBER_CARD_TAKEN: { status: 409, zh: '会员卡号 {cardNo} 已被使用', en: 'Card number {cardNo} is already in use' },
  MEMBER_ERASED: {
    status: 409,
    zh: '会员 {id} 的个人信息已删除，不能再修改',
    en: 'Member {id} has been erased and can no longer be changed',
  },
  MEMBER_ALREADY_FROZEN: { status: 409, zh: '会员 {id} 已是冻结状态', en: 'Member {id} is already frozen' },
  MEMBER_NOT_FROZEN: { status: 409, zh: '会员 {id} 未被冻结', en: 'Member {id} is not frozen' },
  MEMBER_CURSOR_INVALID: {
    status: 400,
    zh: '翻页参数无效或与当前排序不符，请回到第一页',
    en: 'The page cursor is invalid or belongs to another sort order; start again from the first page',
  },
  MEMBER_CUSTOM_VALUE_TAKEN: {
    status: 409,
    zh: '“{field}”的值已被其他会员使用，该字段要求唯一',
    en: 'Another member already has this value of "{field}", which must be unique',
  },
  MEMBER_FIELD_KEY_TAKEN: { status: 409, zh: '字段标识 {key} 已存在', en: 'A field with the key {key} already exists' },
  MEMBER_FIELD_NOT_FOUND: { status: 404, zh: '自定义字段 {key} 不存在', en: 'Custom field {key} does not exist' },
  MEMBER_FIELD_VALUES_NOT_UNIQUE: {
    status: 409,
    zh: '已有会员的“{field}”取值重复，不能设为唯一；请先处理重复的值',
    en: 'Members already share values of "{field}", so it cannot be made unique; resolve the duplicates first',
  },
  MEMBER_EXPORT_TOO_LARGE: {
    status: 422,
    zh: '筛选结果有 {matched} 位会员，超过单次导出上限 {max}，请缩小筛选范围',
    en: 'The filter matches {matched} members, more than one export may hold ({max}); narrow the filter',
  },
  MEMBER_IMPORT_FILE_TYPE: {
    status: 415,
    zh: '请上传 .xlsx 或 .csv 文件（Content-Type 须为 xlsx 或 text/csv）',
    en: 'Upload an .xlsx or .csv file (Content-Type xlsx or text/csv)',
  },
  MEMBER_IMPORT_FILE_EMPTY: { status: 422, zh: '上传的文件是空的', en: 'The uploaded file is empty' },
  MEMBER_IMPORT_FILE_NOT_FOUND: {
    status: 404,
    zh: '找不到上传的文件，可能已过期，请重新上传',
    en: 'The uploaded file was not found (it may have expired); upload it again',
  },
  MEMBER_IMPORT_FILE_UNREADABLE: {
    status: 422,
    zh: '无法读取该文件：{reason}',
    en: 'The file cannot be read: {reason}',
  },
  MEMBER_IMPORT_TOO_MANY_ROWS: {
    status: 422,
    zh: '文件有 {rows} 行，超过单次导入上限 {max} 行，请拆分后导入',
    en: 'The file has {rows} rows, more than one import may hold ({max}); split it',
  },
  REGISTRATION_CHANNEL_NOT_FOUND: { status: 404, zh: '注册渠道 {id} 不存在', en: 'Registration channel {id} does not exist' },
  REGISTRATION_CHANNEL_CODE_TAKEN: { status: 409, zh: '渠道编码 {code} 已被使用', en: 'Channel code {code} is already in use' },
  REGISTRATION_PAGE_NOT_FOUND: {
    status: 404,
    zh: '该注册页面不存在或已停用，请向门店咨询',
    en: 'This registration page does not exist or is paused; please ask the store',
  },
  REGISTRATION_SMS_TOO_SOON: {
    status: 429,
    zh: '验证码已发送，请 {seconds} 秒后再重新获取',
    en: 'A code was just sent; you can ask for another in {seconds} seconds',
  },
  REGISTRATION_SMS_PHONE_LIMIT: {
    status: 429,
    zh: '该手机号 24 小时内已获取 {limit} 次验证码，请于 {retryAt} 后再试',
    en: 'This number has had {limit} codes in 24 hours; try again after {retryAt}',
  },
  REGISTRATION_SMS_IP_LIMIT: {
    status: 429,
    zh: '当前网络获取验证码过于频繁，请 {minutes} 分钟后再试',
    en: 'Too many codes were requested from this network; try again in {minutes} minutes',
  },
  REGISTRATION_SMS_CHANNEL_LIMIT: {
    status: 429,
    zh: '当前注册人数较多，请 {minutes} 分钟后再试',
    en: 'Many people are registering right now; try again in {minutes} minutes',
  },
  REGISTRATION_SMS_UNAVAILABLE: {
    status: 503,
    zh: '短信暂时无法发送，请稍后再试或到店登记',
    en: 'Text messages cannot be sent right now; try again later or register at the store',
  },
  REGISTRATION_CODE_WRONG: {
    status: 400,
    zh: '验证码不正确，还可尝试 {left} 次',
    en: 'The code is wrong; {left} tries left',
  },
  REGISTRATION_CODE_LOCKED: {
    status: 400,
    zh: '验证码错误次数过多，已失效，请重新获取',
    en: 'Too many wrong tries; this code no longer works, ask for a new one',
  },
  REGISTRATION_CODE_EXPIRED: {
    status: 400,
    zh: '验证码已过期或已使用，请重新获取',
    en: 'The code has expired or was already used; ask for a new one',
  },
  REGISTRATION_PHONE_REGISTERED: {
    status: 409,
    zh: '该手机号已是会员，无需重复注册；如需查询会员卡号，请到店咨询',
    en: 'This number already belongs to a member, so there is no need to register again; ask the store for the card number',
  },
  MEMBER_VIEW_NOT_FOUND: { status: 404, zh: '已保存的视图 {id} 不存在', en: 'Saved view {id} does not exist' },
  MEMBER_VIEW_LIMIT: { status: 422, zh: '最多保存 {max} 个视图，请先删除不用的', en: 'At most {max} saved views; delete one you no longer use' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
