// ElMessage is called from script, where the template resolver cannot see it: import its CSS here
// so every caller gets a styled toast without repeating the side-effect import.
import 'element-plus/es/components/message/style/css';

export { ElMessage } from 'element-plus';
