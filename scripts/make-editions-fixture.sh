#!/bin/sh
# Make tests/fixtures/editions/: a briefing with two recorded editions
# (2026-12-01, 2026-12-02) and a current state after them. Run from the
# repository root after `cargo build`; it records the editions with the
# binary, so the fixture's edition files are what this version writes.
#   2026-12-01: flood (3 paragraphs, a claim `deaths` unverified, a note
#               `rescue`), talks; one entity.
#   2026-12-02: flood re-scraped (new seed hash, a paragraph added before
#               the quoted ones, two paragraphs changed),
#               `deaths` disputed, `rescue` note edited, aid added, one
#               more entity.
#   now:        talks edited by hand, an annotation added on it.
set -eu
B=${BRIEFING:-target/debug/briefing}
F=tests/fixtures/editions
rm -rf "$F"
mkdir -p "$F/content" "$F/annotations"
printf 'title = "Editions fixture"\nbase_url = "https://example.org/"\n' > "$F/briefing.toml"
cat > "$F/entities.yaml" <<'Y'
- name: River Authority
  kind: organisation
Y
cat > "$F/content/flood.md" <<'M'
---
title: "Flood toll rises in the valley"
slug: flood
date: 2026-11-30
url: https://news.example/flood
seed_sha256: 1111111111111111111111111111111111111111111111111111111111111111
---

The minister said ten people died in the flood on Monday.

Rescue teams arrived on Tuesday, the River Authority said.

Officials expect the water to fall by Friday.
M
cat > "$F/content/talks.md" <<'M'
---
title: "Talks resume on water sharing"
slug: talks
date: 2026-11-29
url: https://news.example/talks
---

Delegates met in the capital to discuss the river.

No agreement was reached.
M
cat > "$F/annotations/flood.md" <<'M'
---
article: flood
---

## "people died in the flood" {#deaths .claim status=unverified cred=3}

The official figure; no independent count yet.

## "Rescue teams arrived on Tuesday" {#rescue}

Two days after the flood.
M
"$B" -C "$F" edition 2026-12-01
cat >> "$F/entities.yaml" <<'Y'
- name: Red Crescent
  kind: organisation
Y
cat > "$F/content/flood.md" <<'M'
---
title: "Flood toll rises in the valley"
slug: flood
date: 2026-11-30
url: https://news.example/flood
seed_sha256: 2222222222222222222222222222222222222222222222222222222222222222
---

Heavy rain fell for three days before the river burst its banks.

The minister said twelve people died in the flood on Monday night.

Rescue teams arrived on Tuesday, the River Authority said.

Officials now expect the water to fall by Sunday, the Red Crescent said.
M
cat > "$F/content/aid.md" <<'M'
---
title: "Aid convoy reaches the valley"
slug: aid
date: 2026-12-02
url: https://news.example/aid
---

The first aid convoy reached the valley on Wednesday.
M
cat > "$F/annotations/flood.md" <<'M'
---
article: flood
---

## "people died in the flood" {#deaths .claim status=disputed cred=3}

The official figure; no independent count yet.

## "Rescue teams arrived on Tuesday" {#rescue}

Two days after the flood, by the Authority's own account.
M
"$B" -C "$F" edition 2026-12-02
cat > "$F/content/talks.md" <<'M'
---
title: "Talks resume on water sharing"
slug: talks
date: 2026-11-29
url: https://news.example/talks
---

Delegates met in the capital to discuss the river.

No agreement was reached, but a second round is planned.
M
cat > "$F/annotations/talks.md" <<'M'
---
article: talks
---

## "a second round is planned" {#second-round}

No date given.
M
rm -rf "$F/site" "$F/.briefing"
