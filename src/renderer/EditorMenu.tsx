// The "other editors" menu beside Open: a portal (the virtual rows are transformed, which would
// trap a fixed menu), placed by the button's rectangle; arrows move, Enter picks, Esc closes.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type { EditorId, EditorInfo } from '../shared/contract.js';

interface Props {
  name: string;
  editors: readonly EditorInfo[];
  defaultEditor: EditorId | undefined;
  disabled: boolean;
  onPick(editor: EditorId): void;
}

export function EditorMenu({ name, editors, defaultEditor, disabled, onPick }: Props) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState<{ top: number; left: number }>({ top: 0, left: 0 });

  useLayoutEffect(() => {
    if (!open || !button.current) return;
    const r = button.current.getBoundingClientRect();
    const height = menu.current?.offsetHeight ?? 0;
    const width = menu.current?.offsetWidth ?? 0;
    // Open upwards when the menu would leave the window; right-aligned to the button, inside it.
    const below = r.bottom + 4;
    const top = below + height > window.innerHeight ? Math.max(4, r.top - 4 - height) : below;
    setPos({ top, left: Math.max(4, Math.min(r.right - width, window.innerWidth - width - 4)) });
    menu.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!menu.current?.contains(e.target as Node) && !button.current?.contains(e.target as Node))
        setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  function close() {
    setOpen(false);
    button.current?.focus();
  }

  function onMenuKey(e: React.KeyboardEvent) {
    const items = [...(menu.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? [])];
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      const next = items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length];
      next?.focus();
    } else if (e.key === 'Enter') {
      e.stopPropagation();
    }
  }

  return (
    <>
      <button
        ref={button}
        type="button"
        className="split-more"
        aria-label={`Open ${name} in another editor`}
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={disabled}
        onClick={(e) => {
          e.stopPropagation();
          setOpen((o) => !o);
        }}
      >
        ▾
      </button>
      {open
        ? createPortal(
            <div
              ref={menu}
              className="menu"
              role="menu"
              aria-label={`Editors for ${name}`}
              style={{ top: pos.top, left: pos.left }}
              onKeyDown={onMenuKey}
            >
              {editors.map((ed) => (
                <button
                  key={ed.id}
                  type="button"
                  role="menuitem"
                  className="menu-item"
                  onClick={() => {
                    close();
                    onPick(ed.id);
                  }}
                >
                  {ed.label}
                  {ed.id === defaultEditor ? <span className="muted">default</span> : null}
                  {ed.installed === false ? <span className="muted">not found</span> : null}
                </button>
              ))}
            </div>,
            document.body,
          )
        : null}
    </>
  );
}
