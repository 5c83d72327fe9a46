package codes

// rfcTitles are the RFCs the catalogue cites. A reference to an RFC missing
// here fails the catalogue test, so a new citation comes with its title.
var rfcTitles = map[int]string{
	1870: "SMTP Service Extension for Message Size Declaration",
	1985: "SMTP Service Extension for Remote Message Queue Starting",
	2034: "SMTP Service Extension for Returning Enhanced Error Codes",
	2645: "On-Demand Mail Relay (ODMR) SMTP with Dynamic IP Addresses",
	2852: "Deliver By SMTP Service Extension",
	2920: "SMTP Service Extension for Command Pipelining",
	3030: "SMTP Service Extensions for Transmission of Large and Binary MIME Messages",
	3207: "SMTP Service Extension for Secure SMTP over Transport Layer Security",
	3461: "SMTP Service Extension for Delivery Status Notifications (DSNs)",
	3463: "Enhanced Mail System Status Codes",
	3464: "An Extensible Message Format for Delivery Status Notifications",
	3865: "A No Soliciting Simple Mail Transfer Protocol (SMTP) Service Extension",
	3886: "An Extensible Message Format for Message Tracking Responses",
	4468: "Message Submission BURL Extension",
	4865: "SMTP Submission Service Extension for Future Message Release",
	4954: "SMTP Service Extension for Authentication",
	5248: "A Registry for SMTP Enhanced Mail System Status Codes",
	5321: "Simple Mail Transfer Protocol",
	5322: "Internet Message Format",
	6152: "SMTP Service Extension for 8-bit MIME Transport",
	6376: "DomainKeys Identified Mail (DKIM) Signatures",
	6409: "Message Submission for Mail",
	6531: "SMTP Extension for Internationalized Email",
	6710: "Simple Mail Transfer Protocol Extension for Message Transfer Priorities",
	7208: "Sender Policy Framework (SPF) for Authorizing Use of Domains in Email, Version 1",
	7293: "The Require-Recipient-Valid-Since Header Field and SMTP Service Extension",
	7372: "Email Authentication Status Codes",
	7489: "Domain-based Message Authentication, Reporting, and Conformance (DMARC)",
	7504: "SMTP 521 and 556 Reply Codes",
	7505: "A \"Null MX\" No Service Resource Record for Domains That Accept No Mail",
	7601: "Message Header Field for Indicating Message Authentication Status",
	7672: "SMTP Security via Opportunistic DNS-Based Authentication of Named Entities (DANE) Transport Layer Security (TLS)",
	8461: "SMTP MTA Strict Transport Security (MTA-STS)",
	8617: "The Authenticated Received Chain (ARC) Protocol",
	8689: "SMTP Require TLS Option",
}

// RFCTitle is the title of an RFC the catalogue cites, or "".
func RFCTitle(n int) string { return rfcTitles[n] }
