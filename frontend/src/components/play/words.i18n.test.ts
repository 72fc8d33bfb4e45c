// The phone's sentences in other languages: the same functions, the UI's
// language switched (what a Japanese or Arabic screen reader hears).
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { finalAnnouncement, playersText, questionAnnouncement, resultAnnouncement, toNextText } from './words';

afterEach(async () => {
  await i18n.changeLanguage('en');
});

describe('phone words in other languages', () => {
  it('Japanese', async () => {
    await i18n.changeLanguage('ja');
    expect(playersText(3)).toBe('3人');
    expect(toNextText(0)).toBe('次の順位と同点です');
    expect(toNextText(250)).toBe('次の順位まであと250ポイント');
    expect(questionAnnouncement(3, 10, 20, 5)).toBe('第3問、全10問中、20秒。あと5秒で回答開始');
    expect(resultAnnouncement({ title: '正解！', points: 958, rank: 4 })).toBe('正解、958ポイント獲得、4位');
    expect(finalAnnouncement(2, 1500)).toBe('ゲーム終了。あなたは1500ポイントで2位でした');
  });
  it('Arabic, with its digits and plural forms', async () => {
    await i18n.changeLanguage('ar');
    expect(playersText(2)).toBe('لاعبان');
    expect(playersText(5)).toBe('٥ لاعبين');
    expect(toNextText(1)).toBe('بفارق نقطة واحدة خلف المركز التالي');
    expect(finalAnnouncement(1, 2000)).toBe('انتهت اللعبة. أنهيت في المركز ١ برصيد ٢٠٠٠ نقطة');
    expect(resultAnnouncement({ title: 'صحيح!', points: 3, rank: 1 })).toBe('صحيح، زائد ٣ نقاط، الترتيب ١');
  });
  it('Spanish: no exclamation marks read out', async () => {
    await i18n.changeLanguage('es');
    expect(resultAnnouncement({ title: '¡Correcto!', points: 1, rank: 2 })).toBe('Correcto, más 1 punto, puesto 2');
    expect(finalAnnouncement(1, 10)).toBe('Fin de la partida. Has quedado 1.º con 10 puntos');
  });
});
