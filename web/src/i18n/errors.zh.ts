/** 接口和现场游戏的错误码、被拒绝的字段：中文。 */
import type { CommonErrorCode, FieldProblem } from '../../../worker/contract';
import type { waitTexts as enWaitTexts } from './errors.en';

export const apiErrors = {
  malformed_body: '提交的内容格式不正确，请重试。',
  body_too_large: '提交的内容太长了。',
  invalid_json: '请检查填写的内容。',
  invalid_param: '这个网址不正确。',
  invalid_query: '这个查询条件不正确。',
  not_found: '这个网址没有内容。',
  http_error: '请求没能处理，请重试。',
  internal: '服务器出了点问题，请重试。',
  too_many_attempts: '尝试次数太多了，请等一分钟再试。',
  origin_required: '请在应用内发送请求，或带上本站的 Origin 请求头。',
  unknown_host: '本机只响应自己的地址：请打开老师电脑上显示的地址。',
  upgrade_required: '这个页面需要实时连接，请刷新。',
  unknown_code: '找不到这个加入码对应的测验，请和老师核对加入码。',
  nickname_taken: '这个测验里已经有人用了这个昵称，请换一个。',
  nickname_not_allowed: '这个昵称不能使用，请换一个。',
  name_taken: '这个名字已经有人选了。如果这是你的名字，请告诉老师。',
  guests_not_allowed: '请在班级名单里找到你的名字。名单上没有？请问老师。',
  roster_entry_not_found: '班级名单上已经没有这个名字了（名单可能刚刚改过），请再找一找。',
  session_full: '这个测验人数已满，不能再加入。',
  network_full: '从这个网络加入这个测验的人太多了，请告诉老师。',
  session_closed: '这个测验已经结束了。',
  session_locked: '老师已锁定这个测验，暂时不能加入。',
  not_open_yet: '测验还没有开始，请等老师通知。',
  live_session: '这个测验是现场模式，请跟着老师的大屏幕作答。',
  not_live: '这个测验不是现场模式。',
  not_finished: '答完全部题目后才能查看解析。',
  answers_after_close: '测验结束后才会显示答案。',
  practice_after_close: '测验结束后才能练习。',
  finished: '你已经答完全部题目了。',
  not_served: '请先打开题目再作答。',
  not_current_question: '这不是你当前的题目，正在重新加载。',
  invalid_answer: '这个答案的格式不对，请重新作答。',
  unauthorized: '这台设备已不在测验中，请用加入码重新加入。',
  token_expired: '你在这个测验中的身份已过期，请用加入码重新加入。',
  signed_out: '你还没有登录，请先登录。',
  forbidden: '这个链接打不开这个测验。',
  link_expired: '这个教师链接已过期。',
  session_not_found: '这个测验不存在（可能已被删除）。',
  ticket_invalid: '无法连接到现场游戏，请重试。',
} satisfies Record<CommonErrorCode, string>;

/** How long to wait, as the server's `retryAfterSec` says: seconds, or whole minutes from two minutes on. */
const duration = (seconds: number) => (seconds >= 120 ? `${Math.ceil(seconds / 60)} 分钟` : `${seconds} 秒`);

/** `too_many_attempts` when the server says how long to wait, per kind of attempt. */
export const waitTexts: typeof enWaitTexts = {
  attempts: (seconds: number) => `尝试次数太多了，请等 ${duration(seconds)}再试。`,
  wrongCodes: (seconds: number) => `这个网络输错代码的次数太多了，请等 ${duration(seconds)}再试。`,
};

export const fieldProblems = {
  required: '必须填写',
  too_short: '太短',
  too_long: '太长',
  too_small: '太小或太少',
  too_big: '太大或太多',
  wrong_type: '类型不对',
  wrong_format: '格式不对',
  not_allowed: '不是允许的值',
  unknown_field: '不应出现',
  too_common: '是最常见的密码之一，请换一个',
  invalid: '不符合要求',
} satisfies Record<FieldProblem, string>;

/** How a refused field is written: name, colon, problem; fields apart by the separator. */
export const punctuation = { colon: '：', separator: '；' };

/** The one field a student's page sends (the teacher chunk adds its forms' fields). */
export const fieldNames: Readonly<Record<string, string>> = { nickname: '昵称' };
