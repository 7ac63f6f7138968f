package convention

import "fmt"

// Meta is what loa knows about one convention besides its text. Every value
// is transcribed from corpus/facts.md (titles, adoption, Viet Nam's
// participation) or corpus/SOURCES.md (where the text came from); nothing here
// is written from memory. When those files change, change this table with
// them and re-import the pages.
type Meta struct {
	Code    string
	Weight  int    // position in the list of seven, as facts.md orders them
	TitleEn string // the English title without the year, as on line 1 of the corpus file
	Year    int    // the year facts.md gives after the English title
	TitleVi string // the Vietnamese name as the district plan writes it (facts.md)
	Adopted string // UN General Assembly adoption date, YYYY-MM-DD (facts.md)
	// VietNam is Viet Nam's participation with its source, from facts.md.
	// Where two sources differ both dates are kept.
	VietNam  string
	Articles int // number of articles (SOURCES.md: "articles found / expected")
	// ProceduralFrom is the first article of the convention's procedural
	// part: the treaty body (committee), reports, complaints and final
	// clauses, from the part headings of the text (ICCPR Part IV, ICESCR
	// Part IV, CEDAW Part V, ICERD Part II, CRC Article 43, CAT Part II,
	// CRPD Article 34). Search weighs those articles lower than the rights
	// themselves.
	ProceduralFrom int
	Source         Source
}

// Source says where the English text in corpus/ came from (SOURCES.md).
// The publisher and the edition, with the document (TitleEn and Year), are
// what readers see in the facts box; the repository, path and commit are
// provenance, kept in front matter for maintainers and explained in
// corpus/SOURCES.md, never shown on the page.
type Source struct {
	Publisher string `yaml:"publisher"` // who issued the document: "United Nations"
	Edition   string `yaml:"edition"`   // which text this is, in SOURCES.md's words
	// URL is the document's address, only where corpus/SOURCES.md or
	// facts.md gives one (they give none for the seven texts so far).
	URL string `yaml:"url"`

	Repository string `yaml:"repository"`
	Path       string `yaml:"path"`
	Commit     string `yaml:"commit"`
}

// The publisher of the seven conventions: each was adopted by the UN General
// Assembly (facts.md), and "UN treaty texts are official public documents"
// (SOURCES.md).
const unPublisher = "United Nations"

// SOURCES.md: the statengeneraal/laws-markdown pages "hold the authentic
// English treaty text as published in the Dutch Treaty Series", mirrored
// from "the Dutch government's law and treaty database (wetten.overheid.nl)".
// The database is named without an address to link, so none is linked.
const dutchTreatySeries = "Authentic English text as published in the Dutch Treaty Series (the Dutch government's law and treaty database, wetten.overheid.nl)"

// lawsMarkdown is the source of the six texts from the Dutch database.
func lawsMarkdown(path string) Source {
	return Source{Publisher: unPublisher, Edition: dutchTreatySeries,
		Repository: "statengeneraal/laws-markdown", Path: path, Commit: lawsMarkdownCommit}
}

// The statengeneraal/laws-markdown snapshot that SOURCES.md names for the
// six Dutch-database files.
const lawsMarkdownCommit = "91556a80a25a3da4234c8039945c6aeef4108d00"

const chinhphuSource = `Chinhphu.vn article of 05/11/2013 "Việt Nam đã từng bước tham gia hầu hết các Công ước quốc tế về quyền con người" (reprinted by Sở Nội vụ Phú Thọ); en.qdnd.vn "in 1982"`

var metas = []Meta{
	{
		Code: "iccpr", Weight: 1, Year: 1966,
		TitleEn:        "International Covenant on Civil and Political Rights",
		TitleVi:        "Công ước về các Quyền Dân sự và Chính trị",
		Adopted:        "1966-12-16",
		VietNam:        "acceded 24 September 1982 (gia nhập 24/9/1982). Source: " + chinhphuSource,
		Articles:       53,
		ProceduralFrom: 28,
		Source:         lawsMarkdown("verdrag/international/covenant/on/civil/and/political/rights/BWBV0001017/README.md"),
	},
	{
		Code: "icescr", Weight: 2, Year: 1966,
		TitleEn:        "International Covenant on Economic, Social and Cultural Rights",
		TitleVi:        "Công ước về các Quyền Kinh tế, Xã hội và Văn hóa",
		Adopted:        "1966-12-16",
		VietNam:        "acceded 24 September 1982. Source: " + chinhphuSource,
		Articles:       31,
		ProceduralFrom: 16,
		Source:         lawsMarkdown("verdrag/international/covenant/on/economic/social/and/cultural/rights/BWBV0001016/README.md"),
	},
	{
		Code: "cedaw", Weight: 3, Year: 1979,
		TitleEn:        "Convention on the Elimination of All Forms of Discrimination against Women",
		TitleVi:        "Công ước về Xóa bỏ mọi hình thức phân biệt đối xử với phụ nữ",
		Adopted:        "1979-12-18",
		VietNam:        "signed 27/11/1981, ratified February 1982 (Chinhphu.vn); the UN Treaty Collection lists signature 29 July 1980 and ratification 17 February 1982",
		Articles:       30,
		ProceduralFrom: 17,
		Source:         lawsMarkdown("verdrag/verdrag/inzake/de/uitbanning/van/alle/vormen/van/discriminatie/van/vrouwen/BWBV0002909/README.md"),
	},
	{
		Code: "icerd", Weight: 4, Year: 1965,
		TitleEn:        "International Convention on the Elimination of All Forms of Racial Discrimination",
		TitleVi:        "Công ước về xóa bỏ mọi hình thức phân biệt chủng tộc",
		Adopted:        "1965-12-21",
		VietNam:        "acceded 9 June 1981 (Chinhphu.vn); the UN Treaty Collection lists accession 9 June 1982 (the sources differ on the year)",
		Articles:       25,
		ProceduralFrom: 8,
		Source:         lawsMarkdown("verdrag/international/convention/on/the/elimination/of/all/forms/of/racial/etc/BWBV0002911/README.md"),
	},
	{
		Code: "crc", Weight: 5, Year: 1989,
		TitleEn:        "Convention on the Rights of the Child",
		TitleVi:        "Công ước về Quyền Trẻ em",
		Adopted:        "1989-11-20",
		VietNam:        "signed January 1990, ratified 20/2/1990: first in Asia and second in the world (Chinhphu.vn); the UN Treaty Collection lists ratification 28 February 1990",
		Articles:       54,
		ProceduralFrom: 43,
		// SOURCES.md: raisely/NoHarm "includes the CRC text as a reference document
		// ... the CRC text itself is the UN text".
		Source: Source{Publisher: unPublisher, Edition: "English text",
			Repository: "raisely/NoHarm", Path: "documents/CRC.md", Commit: "b297e9e38f7d458c86ed8843d085024682888e9c"},
	},
	{
		Code: "crpd", Weight: 6, Year: 2006,
		TitleEn:        "Convention on the Rights of Persons with Disabilities",
		TitleVi:        "Công ước về Quyền của Người khuyết tật",
		Adopted:        "2006-12-13",
		VietNam:        "signed 22 October 2007 (VietnamPlus), ratified 2015 (instrument of ratification February 2015; EU statement of 13 February 2015). Sources: VietnamPlus, EEAS",
		Articles:       50,
		ProceduralFrom: 34,
		Source:         lawsMarkdown("verdrag/convention/on/the/rights/of/persons/with/disabilities/BWBV0004045/README.md"),
	},
	{
		Code: "cat", Weight: 7, Year: 1984,
		TitleEn:        "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment",
		TitleVi:        "Công ước Chống tra tấn và các hình thức đối xử hoặc trừng phạt tàn bạo, vô nhân đạo hoặc hạ nhục con người",
		Adopted:        "1984-12-10",
		VietNam:        "signed 7 November 2013 in New York (Viet Nam's UN mission press release), ratified 2015 (EU statement of 13 February 2015). Sources: vietnam-un.org, EEAS",
		Articles:       33,
		ProceduralFrom: 17,
		Source:         lawsMarkdown("verdrag/folterverdrag/BWBV0002507/README.md"),
	},
}

// Codes returns the known convention codes in the site's order.
func Codes() []string {
	out := make([]string, len(metas))
	for i, m := range metas {
		out[i] = m.Code
	}
	return out
}

// Lookup returns the metadata of the convention with the given code.
func Lookup(code string) (Meta, error) {
	for _, m := range metas {
		if m.Code == code {
			return m, nil
		}
	}
	return Meta{}, fmt.Errorf("unknown convention code %q (known: %v)", code, Codes())
}
