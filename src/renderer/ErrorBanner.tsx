// Messages for the user: errors stay until dismissed, info fades after a few seconds.
import { useEffect } from 'react';
import type { Banner } from './popoverUi.js';
import { usePopover } from './usePopover.js';

const INFO_MS = 5000;

function BannerItem({ banner }: { banner: Banner }) {
  const dismiss = usePopover((s) => s.dismiss);
  useEffect(() => {
    if (banner.level !== 'info') return;
    const t = setTimeout(() => dismiss(banner.id), INFO_MS);
    return () => clearTimeout(t);
  }, [banner, dismiss]);
  return (
    <div className={`banner banner-${banner.level}`} role={banner.level === 'error' ? 'alert' : 'status'}>
      <span className="banner-text">{banner.text}</span>
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss message"
        onClick={() => dismiss(banner.id)}
      >
        ×
      </button>
    </div>
  );
}

export function ErrorBanner() {
  const banners = usePopover((s) => s.banners);
  if (banners.length === 0) return null;
  return (
    <div className="banners" aria-live="polite">
      {banners.map((b) => (
        <BannerItem key={b.id} banner={b} />
      ))}
    </div>
  );
}
