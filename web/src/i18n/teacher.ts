/**
 * The teacher pages' texts, in the teacher chunk so that students do not download them; the
 * shared words and the current language come from ./lang.
 */
import { addErrorTexts, lang } from './lang';
import { en, enFieldNames, enTeacherErrors, type TeacherStrings } from './teacher.en';
import { zh, zhFieldNames, zhTeacherErrors } from './teacher.zh';

addErrorTexts({
  zh: { codes: zhTeacherErrors, fieldNames: zhFieldNames },
  en: { codes: enTeacherErrors, fieldNames: enFieldNames },
});

/** The teacher texts in the current language; call it in `render()`, next to `strings()`. */
export const teacherStrings = (): TeacherStrings => (lang() === 'zh' ? zh : en);
