package metainfo

import (
	"net/url"
	"strings"

	"github.com/actorrent/actorrent/internal/bencodex"
)

// Marshal returns the bencoded .torrent file: keys sorted, "info" written
// as InfoBytes verbatim so the info-hash is preserved exactly, and empty
// optional fields omitted.
func (m *MetaInfo) Marshal() ([]byte, error) {
	if len(m.InfoBytes) == 0 {
		return nil, invalid("no info dictionary to marshal")
	}
	d := map[string]any{"info": bencodex.Raw(m.InfoBytes)}
	if m.Announce != "" {
		d["announce"] = m.Announce
	}
	if len(m.AnnounceList) > 0 {
		d["announce-list"] = m.AnnounceList
	}
	if len(m.URLList) > 0 {
		d["url-list"] = m.URLList
	}
	if m.Comment != "" {
		d["comment"] = m.Comment
	}
	if m.CreatedBy != "" {
		d["created by"] = m.CreatedBy
	}
	if m.CreationDate != 0 {
		d["creation date"] = m.CreationDate
	}
	return bencodex.Marshal(d) // anacrolix writes map keys sorted
}

// MagnetURI returns a BEP 9 magnet link:
// "magnet:?xt=urn:btih:<hex>&dn=<name>&tr=<tracker>..." with every tracker
// (announce first, then the announce-list tiers), each once, and web seeds
// as "ws".
func (m *MetaInfo) MagnetURI() string {
	var b strings.Builder
	b.WriteString("magnet:?xt=urn:btih:")
	b.WriteString(m.InfoHash.String())
	if m.Info.Name != "" {
		b.WriteString("&dn=")
		b.WriteString(url.QueryEscape(m.Info.Name))
	}
	seen := make(map[string]bool)
	add := func(tr string) {
		if tr == "" || seen[tr] {
			return
		}
		seen[tr] = true
		b.WriteString("&tr=")
		b.WriteString(url.QueryEscape(tr))
	}
	add(m.Announce)
	for _, tier := range m.AnnounceList {
		for _, tr := range tier {
			add(tr)
		}
	}
	for _, ws := range m.URLList {
		b.WriteString("&ws=")
		b.WriteString(url.QueryEscape(ws))
	}
	return b.String()
}
