import type zhCN from './zh-CN';

const system: typeof zhCN = {
  backups: {
    title: 'Backups',
    intro:
      'A backup holds the database and the data directory, encrypted with the backup public key. The server keeps only the public key, so it cannot read its own backups. After each backup a copy goes to the copy directory and old backups are removed by the retention rules.',
    start: 'Back up now',
    startNeedsKey: 'Create the backup public key first',
    startBusy: 'A backup is already running',
    started: 'Backup started. You can leave this page; the result appears in My tasks.',
    finished: 'Backup finished: {name}',
    failed: 'Backup failed: {message}',
    lastFailure: 'The last backup failed ({time})',
    unknown: 'Unknown',
    settings: {
      dir: 'Backup directory',
      free: '{size} free',
      copyTo: 'Copy directory',
      noCopy: 'Not set (backups stay on this server only; set a copy directory, such as a mounted NAS, soon)',
      unreachable: 'Unreachable',
      time: 'Daily backup',
      off: 'Off: backups are made by hand only',
      daily: 'Every day at {time} ({timezone})',
      disabled: 'Disabled on the Jobs page',
      next: 'Next: {time}',
      retention: 'Retention',
      retentionValue: 'The newest backup of each of the last {daily} days, {weekly} weeks and {monthly} months',
      key: 'Public key fingerprint',
      keyFile: 'Key file: {file}',
      keyMissing: 'No backup public key',
      keyInvalid: 'The backup public key cannot be used',
    },
    key: {
      missingTitle: 'No backup public key at {file}: no backup can be made',
      invalidTitle: 'The backup public key {file} cannot be used: no backup can be made',
      howTo: 'Installing with this command creates the backup key pair:',
      orCli: "Or create it on the server with Huiji's own command:",
      offline:
        'Then move the private key file off the server and keep it offline (an encrypted USB stick, or a paper copy in a safe): without it nobody can restore a backup.',
    },
    running: {
      queuedTag: 'Queued',
      runningTag: 'Backing up',
      queued: 'The backup is queued and starts in a moment',
      scheduled: 'The daily backup is running',
      manual: 'Backing up',
      since: 'Started {time}',
    },
    columns: {
      createdAt: 'Backed up',
      size: 'Size',
      version: 'Huiji version',
      schema: 'Database schema version: {version}',
      dialect: 'Database',
      keyFile: 'Key file',
      verification: 'Verification',
      copied: 'Copy',
    },
    dialects: {
      mysql: 'MySQL',
      sqlite: 'SQLite',
    },
    keyFile: {
      present: '.hjkey present',
      missing: '.hjkey missing',
      otherKey: 'Other key',
      otherKeyHint: 'Encrypted with another public key (fingerprint {fingerprint}); restoring it needs that key\'s private half',
    },
    states: {
      verified: 'Verified',
      failed: 'Verification failed',
      structure_ok: 'Structure whole',
      damaged: 'Damaged',
      unchecked: 'Checking',
    },
    copied: {
      yes: 'Copied',
      no: 'Not copied',
      none: '—',
    },
    empty: {
      daily: 'No backups yet. Press Back up now for the first one; after that a backup is made every day at {time}.',
      manual: 'No backups yet. Press Back up now for the first one; the daily backup is off (set backup.time in the configuration).',
      needsKey: 'No backups yet. Create the backup public key as shown above, then press Back up now.',
    },
    help: {
      title: 'Taking backups off the server, verifying and restoring',
      noDownloadTitle: 'Why backups cannot be downloaded here',
      noDownload:
        'A backup holds every member and every transaction. If the console offered downloads, one stolen login could carry off the whole company\'s data, so it does not. Set a copy directory (a mounted NAS, setting backup.copyTo) and every backup is copied there, or have IT copy the .hjbak and the .hjkey of the same name off the server with scp. Keep the two files together.',
      verifyTitle: 'Verify a backup (needs the private key; best on another computer)',
      verify:
        'Verifying decrypts every chunk, restores the whole backup into a scratch database, compares the row counts and checksums of every table, then drops the scratch database. Verified on this server, the result is recorded beside the backup and this page shows Verified.',
      restoreTitle: 'Restore a backup',
      restore:
        'A restore first takes a rollback snapshot of the current database and puts it back if the restore fails; it refuses backups from a newer Huiji. The .hjkey must be in the same directory as the .hjbak, or encrypted fields such as phone numbers cannot be read. On a new server, install Huiji first, then restore.',
      statesTitle: 'What the verification states mean',
      states: {
        verified: 'Fully checked with the private key and restored on trial: the backup is good.',
        structure_ok:
          'The server has no private key; it confirmed the file is whole (no missing or cut-off chunks) but cannot prove nothing was changed. Verify with the private key regularly.',
        unchecked: 'The file is large and its check is still running; refresh in a moment.',
        failed: 'Verification with the private key did not pass: this backup cannot be restored. See the reason and make a new backup.',
        damaged: 'The header or chunk structure is broken (an interrupted copy or a disk error, say): it cannot be restored.',
      },
    },
  },
};

export default system;
