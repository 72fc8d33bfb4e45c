// A game's logo where the crowd sees it: the big screen (large in the
// lobby, small in a corner during the show) and the phones (small, in the
// join form and the lobby). A logo that fails to load takes no room.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Brand } from '../lib/protocol';
import '../brand.css';

export function BrandLogo({ brand, place, testId }: {
  brand: Brand | null | undefined;
  place: 'screen-lobby' | 'screen-corner' | 'phone';
  testId: string;
}) {
  const { t } = useTranslation('brand');
  const [broken, setBroken] = useState<string | null>(null);
  const src = brand?.logo;
  if (!src || broken === src) return null;
  return <img className={`brand-logo ${place}`} src={src} alt={t('logoAlt')} data-testid={testId} onError={() => setBroken(src)} />;
}
