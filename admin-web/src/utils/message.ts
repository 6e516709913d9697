// ElMessage and ElMessageBox are called from script, where the template resolver cannot see them:
// import their CSS here so every caller gets a styled toast or box without repeating the side-effect import.
import 'element-plus/es/components/message/style/css';
import 'element-plus/es/components/message-box/style/css';

export { ElMessage, ElMessageBox } from 'element-plus';
