export { checkContainerStructure as checkBackupStructure, readContainerHeader as readBackupHeader, type ContainerHeader as BackupHeader } from './container.js';
export { backupFileName, createBackup, keyFileOf, writeSnapshot, type CreatedBackup } from './create.js';
export { BackupError } from './errors.js';
export { generateBackupKeyPair, keyFingerprint, paperExport, readPrivateKeyPem, spacedFingerprint, MIN_KEY_BITS } from './keys.js';
export { compareSums, openBackupArchive, tableSums } from './load.js';
export { compareVersions, putBack, restoreBackup, type RestoreReport } from './restore.js';
export type { BackupProgress, Manifest } from './snapshot.js';
export type { TableSum } from './mysql-dump.js';
export { readVerification, verifyBackup, verificationFileOf, type Verification, type VerifyReport } from './verify.js';
