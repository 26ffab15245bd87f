package i18n

// catalogs hold the translations of English messages. English needs none: the key is the text.
// Untranslated messages fall back to English.
var catalogs = map[Lang]map[string]string{
	JA: {
		"Dashboard":      "ダッシュボード",
		"Months":         "月別データ",
		"Sign in":        "ログイン",
		"Sign out":       "ログアウト",
		"On track":       "順調",
		"At risk":        "要注意",
		"Off track":      "遅れ",
		"Achieved":       "達成",
		"Not started":    "未開始",
		"India to Japan": "インドから日本",
		"Japan to India": "日本からインド",
		"Language":       "言語",
	},
	HI: {
		"Dashboard":      "डैशबोर्ड",
		"Months":         "महीने",
		"Sign in":        "साइन इन करें",
		"Sign out":       "साइन आउट करें",
		"On track":       "सही दिशा में",
		"At risk":        "जोखिम में",
		"Off track":      "पीछे",
		"Achieved":       "प्राप्त",
		"Not started":    "शुरू नहीं हुआ",
		"India to Japan": "भारत से जापान",
		"Japan to India": "जापान से भारत",
		"Language":       "भाषा",
	},
}
