"""The report's style sheet (inline in the HTML: the file must stand alone)."""

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC",
  "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em auto;
       max-width: 1100px; padding: 0 1em; color: #222; line-height: 1.4; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #ddd; padding-bottom: 0.2em;
margin-top: 2em; }
.meta, .note, .none { color: #555; } .note { font-style: italic; }
.cards { display: flex; flex-wrap: wrap; gap: 0.8em; margin: 1em 0; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: 0.6em 1em; min-width: 8em; }
.card .value { font-size: 1.6em; font-weight: 600; } .card .label { color: #444; }
.card .sub { color: #666; font-size: 0.9em; min-height: 1.2em; }
.card.hold { border-left: 6px solid #c0392b; } .card.review { border-left: 6px solid #e0a030; }
.card.clear { border-left: 6px solid #6b9e78; }
table { border-collapse: collapse; width: 100%; margin: 0.5em 0; font-size: 0.93em; }
th, td { border: 1px solid #ddd; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
thead th { background: #f3f3f3; } table.facts th { width: 12em; background: #fafafa; }
table.list ul { margin: 0; padding-left: 1.1em; } .rule { font-family: monospace; color: #333; }
.field { color: #777; } table.hold td:first-child { border-left: 4px solid #c0392b; }
table.review td:first-child { border-left: 4px solid #e0a030; }
svg { max-width: 100%; height: auto; display: block; margin: 0.5em 0 1em; }
svg text { fill: #222; font-family: system-ui, sans-serif; }
@media print { body { margin: 0; max-width: none; } section { break-inside: avoid-page; } }
"""
