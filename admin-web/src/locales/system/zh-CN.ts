// 系统 pages that keep their messages beside the main file: 备份. en.ts follows this shape.
// vue-i18n treats { } @ | $ % as syntax; keep them out of plain text.
const system = {
  backups: {
    title: '备份',
    intro: '备份包含数据库和数据目录，用备份公钥加密后保存在服务器上；服务器只有公钥，自己也无法读取备份。每次备份后自动复制到副本目录，并按保留策略清理旧备份。',
    start: '立即备份',
    startNeedsKey: '请先生成备份公钥',
    startBusy: '已有备份正在进行',
    started: '已开始备份，可以离开本页，完成后在「我的任务」中查看结果',
    finished: '备份完成：{name}',
    failed: '备份失败：{message}',
    lastFailure: '上次备份失败（{time}）',
    unknown: '未知',
    settings: {
      dir: '备份目录',
      free: '剩余空间 {size}',
      copyTo: '副本目录',
      noCopy: '未设置（备份只保存在本机，请尽快设置副本目录，如挂载的 NAS）',
      unreachable: '无法访问',
      time: '自动备份',
      off: '已关闭，只能手动备份',
      daily: '每天 {time}（{timezone}）',
      disabled: '已在「任务」页停用',
      next: '下次：{time}',
      retention: '保留策略',
      retentionValue: '最近 {daily} 天每天、{weekly} 周每周、{monthly} 个月每月各保留最新一份',
      key: '备份公钥指纹',
      keyFile: '公钥文件：{file}',
      keyMissing: '未找到备份公钥',
      keyInvalid: '备份公钥无法使用',
    },
    key: {
      missingTitle: '找不到备份公钥 {file}，现在无法备份',
      invalidTitle: '备份公钥 {file} 无法使用，现在无法备份',
      howTo: '安装时运行以下命令会自动生成备份密钥对：',
      orCli: '或者在服务器上用 Huiji 自带的命令生成：',
      offline: '生成后请把私钥文件移出服务器离线保管（如加密 U 盘或保险柜里的纸质副本）：没有私钥，任何人都无法恢复备份。',
    },
    running: {
      queuedTag: '排队中',
      runningTag: '备份中',
      queued: '备份已排队，马上开始',
      scheduled: '正在进行每日自动备份',
      manual: '正在备份',
      since: '开始于 {time}',
    },
    columns: {
      createdAt: '备份时间',
      size: '大小',
      version: 'Huiji 版本',
      schema: '数据库结构版本：{version}',
      dialect: '数据库',
      keyFile: '密钥文件',
      verification: '校验状态',
      copied: '副本',
    },
    dialects: {
      mysql: 'MySQL',
      sqlite: 'SQLite',
    },
    keyFile: {
      present: '.hjkey 齐全',
      missing: '缺少 .hjkey',
      otherKey: '其他公钥',
      otherKeyHint: '此备份用另一把公钥加密（指纹 {fingerprint}），恢复时需要那把公钥对应的私钥',
    },
    states: {
      verified: '已校验',
      failed: '校验失败',
      structure_ok: '结构完整',
      damaged: '已损坏',
      unchecked: '检查中',
    },
    copied: {
      yes: '已复制',
      no: '未复制',
      none: '—',
    },
    empty: {
      daily: '还没有备份。点击「立即备份」做第一份；之后每天 {time} 自动备份。',
      manual: '还没有备份。点击「立即备份」做第一份；自动备份已关闭，可在配置文件中设置 backup.time。',
      needsKey: '还没有备份。请先按上方提示生成备份公钥，再点击「立即备份」。',
    },
    help: {
      title: '取出、校验与恢复',
      noDownloadTitle: '为什么这里不能下载备份',
      noDownload:
        '备份里是全部会员和交易数据。如果能从网页下载，一个被盗用的登录就能把整个公司的数据带走，所以控制台不提供下载。请设置副本目录（如挂载的 NAS，配置项 backup.copyTo），每次备份会自动复制过去；或由 IT 人员用 scp 从服务器拷贝 .hjbak 和同名的 .hjkey 文件，两个文件要放在一起保存。',
      verifyTitle: '校验备份（需要私钥，建议在另一台电脑上进行）',
      verify:
        '校验会解密每个数据块，在临时数据库中完整恢复一遍，逐表比对行数和校验和，然后删除临时数据库。在本服务器上校验时，结果会记录在备份旁边，本页随后显示「已校验」。',
      restoreTitle: '恢复备份',
      restore:
        '恢复前会先给当前数据库做回滚快照，恢复失败会自动还原；会拒绝比当前 Huiji 版本更新的备份。恢复时 .hjkey 必须和 .hjbak 在同一目录，否则手机号等加密字段无法解密。新服务器请先安装 Huiji，再恢复。',
      statesTitle: '校验状态说明',
      states: {
        verified: '已用私钥完整校验并试恢复，备份可用。',
        structure_ok: '服务器没有私钥，只确认了文件完整（没有缺块、没有被截断），还不能证明内容没被改动；请定期用私钥校验。',
        unchecked: '文件较大，完整性检查还在进行，稍后刷新。',
        failed: '用私钥校验没有通过，这份备份不能用于恢复，请查看原因并重新备份。',
        damaged: '文件头或数据块结构已损坏（例如复制中断或磁盘错误），不能用于恢复。',
      },
    },
  },
};

export default system;
