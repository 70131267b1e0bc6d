/**
 * The booths' sound: one audio element per remote track, and the button the officer clicks when
 * the browser's autoplay policy holds the sound back.
 */
import { KeyedList } from '../keyedList.js';
import type { AudioSink } from '../view.js';

/** The booths' audio. */
export interface BoothAudio {
  /** Makes exactly these audio tracks play. */
  play: (sinks: readonly AudioSink[]) => void;
}

/** Plays tracks in the `container` element; `soundButton` shows while the browser blocks any. */
export function createBoothAudio(container: HTMLElement, soundButton: HTMLButtonElement, doc: Document = document): BoothAudio {
  const blocked = new Set<HTMLAudioElement>();

  const play = (audio: HTMLAudioElement): void => {
    audio.play().then(
      () => {
        blocked.delete(audio);
        soundButton.hidden = blocked.size === 0;
      },
      (error: unknown) => {
        // Only the autoplay policy needs the officer's click; other rejections resolve themselves.
        if (!(error instanceof DOMException) || error.name !== 'NotAllowedError') return;
        blocked.add(audio);
        soundButton.hidden = false;
      },
    );
  };
  soundButton.addEventListener('click', () => {
    for (const audio of blocked) play(audio);
  });

  const audios = new KeyedList<AudioSink, { root: HTMLAudioElement }>(container, {
    keyOf: (sink) => sink.consumerId,
    create(sink) {
      // One element per track: a single element playing a stream of several audio tracks does not mix them in every browser.
      const audio = doc.createElement('audio');
      audio.autoplay = true;
      audio.srcObject = new MediaStream([sink.track]);
      return { root: audio };
    },
    dropped({ root }) {
      root.srcObject = null;
      blocked.delete(root);
    },
  });

  return {
    play(sinks) {
      const added = sinks.filter((sink) => !audios.get(sink.consumerId));
      audios.show(sinks);
      soundButton.hidden = blocked.size === 0;
      // Started once, when its element joins the page.
      for (const sink of added) play(audios.get(sink.consumerId)!.root);
    },
  };
}
