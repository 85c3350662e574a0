/**
 * The teacher pages' texts, in the teacher chunk so that students do not download them; the
 * shared words and the current language come from ./lang.
 */
import { lang } from './lang';
import { en, type TeacherStrings } from './teacher.en';
import { zh } from './teacher.zh';

/** The teacher texts in the current language; call it in `render()`, next to `strings()`. */
export const teacherStrings = (): TeacherStrings => (lang() === 'zh' ? zh : en);
