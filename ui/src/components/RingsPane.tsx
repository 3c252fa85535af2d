import { useState } from "preact/hooks";
import type { MutableRef } from "preact/hooks";
import type { Backend } from "../api";
import type { Ring } from "../bindings/ipc";
import { nextUndecided } from "../logic/triage";
import { RingList } from "./RingList";
import { RingView } from "./RingView";

/** The ring list and the open ring side by side, split by a draggable bar (its width kept between sessions). */
export function RingsPane({ backend, empty, ringId, onSelect, version, onChanged, rings, onImport }: {
  backend: Backend;
  /** The case has no accounts yet: it offers the import instead. */
  empty: boolean;
  ringId: string | null;
  onSelect: (id: string) => void;
  version: number;
  onChanged: () => void;
  /** The rings the list shows, in order (the keyboard moves through them). */
  rings: MutableRef<Ring[]>;
  onImport: () => void;
}) {
  const [listWidth, setListWidth] = useState(() => Number(localStorage.getItem("ringscope.listWidth")) || 490);
  return (
    <div class="split" style={{ gridTemplateColumns: `${listWidth}px 5px minmax(0, 1fr)` }}>
      <RingList backend={backend} selected={ringId} onSelect={onSelect} version={version} onPage={(r) => (rings.current = r)} onChanged={onChanged} />
      <div
        class="splitter"
        role="separator"
        aria-orientation="vertical"
        title="Drag to resize"
        onMouseDown={(e) => {
          e.preventDefault();
          const start = e.clientX;
          const from = listWidth;
          let width = from;
          const move = (m: MouseEvent) => setListWidth((width = Math.min(Math.max(from + m.clientX - start, 300), window.innerWidth - 480)));
          const up = () => {
            window.removeEventListener("mousemove", move);
            window.removeEventListener("mouseup", up);
            localStorage.setItem("ringscope.listWidth", String(width));
          };
          window.addEventListener("mousemove", move);
          window.addEventListener("mouseup", up);
        }}
      />
      {empty ? (
        <div class="empty empty-case" data-testid="empty-case">
          <div class="card">
            <h2>This case is empty</h2>
            <p>Import the platform's exports (accounts, payments, device and login logs) to find rings.</p>
            <button class="primary" onClick={onImport}>Import files…</button> <span class="muted small">or drop CSV files on the window</span>
          </div>
        </div>
      ) : ringId ? (
        <RingView
          key={ringId}
          backend={backend}
          ringId={ringId}
          onChanged={onChanged}
          onOpenRing={onSelect}
          onDecided={(id) => {
            // Advance to the next ring without a decision.
            const next = nextUndecided(rings.current, id);
            if (next) onSelect(next);
          }}
        />
      ) : (
        <div class="empty muted">Select a ring to see its graph, timeline and reasons.</div>
      )}
    </div>
  );
}
