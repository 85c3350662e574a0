/**
 * The projector's countdown sound, made in the browser with the Web Audio API (no sound files to
 * download or license): a short tick each second of the last five, and a longer, lower tone when
 * time is up. Off by default (a classroom may be quiet, or the projector's speaker loud); the
 * teacher's choice is remembered on this device.
 */

const STORAGE_KEY = 'pomegranate:projector-sound';

/** Whether the teacher turned the sound on, on this device. */
export function soundWanted(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false; // storage can be disabled
  }
}

export function rememberSound(on: boolean): void {
  try {
    localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // Not remembered; it still applies to this page.
  }
}

let context: AudioContext | null = null;

/**
 * The audio context, made (or resumed) on demand. Browsers start one only after a user gesture,
 * so the toggle's click calls this first; a context that stays suspended simply plays nothing.
 */
function audio(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  context ??= new AudioContext();
  if (context.state === 'suspended') void context.resume().catch(() => undefined);
  return context;
}

/** Prepares the sound from a click (the gesture browsers require). */
export const unlockSound = (): void => void audio();

/** One beep: a sine at `hz` for `seconds`, with a quick fade in and out so it does not click. */
function beep(hz: number, seconds: number, volume: number): void {
  const ctx = audio();
  if (!ctx) return;
  const now = ctx.currentTime;
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'sine';
  osc.frequency.value = hz;
  gain.gain.setValueAtTime(0, now);
  gain.gain.linearRampToValueAtTime(volume, now + 0.01);
  gain.gain.exponentialRampToValueAtTime(0.0001, now + seconds);
  osc.connect(gain).connect(ctx.destination);
  osc.start(now);
  osc.stop(now + seconds + 0.05);
}

/** A tick of the last seconds (higher as time runs out). */
export const tick = (secondsLeft: number): void => beep(secondsLeft <= 2 ? 1040 : 880, 0.08, 0.25);

/** Time is up. */
export const timeUp = (): void => beep(440, 0.7, 0.35);
