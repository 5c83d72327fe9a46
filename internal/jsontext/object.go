package jsontext

import (
	"math"
	"strconv"
)

// Object appends one JSON object, member by member in the order written,
// byte for byte as encoding/json writes a struct with those fields (HTML
// escaping off). Keys are written as given: callers pass ASCII names.
//
//	o := jsontext.Begin(dst)
//	o.String("code", "550")
//	o.StringOmit("text", text) // `json:",omitempty"`
//	dst = o.End()
type Object struct {
	B    []byte
	some bool
}

// Begin starts an object at the end of dst.
func Begin(dst []byte) Object { return Object{B: append(dst, '{')} }

// End closes the object and returns the buffer.
func (o *Object) End() []byte { return append(o.B, '}') }

// Key writes a member's name; the caller appends its value to o.B.
func (o *Object) Key(k string) {
	if o.some {
		o.B = append(o.B, ',')
	}
	o.some = true
	o.B = append(o.B, '"')
	o.B = append(o.B, k...)
	o.B = append(o.B, '"', ':')
}

func (o *Object) String(k, v string) {
	o.Key(k)
	o.B = AppendString(o.B, v)
}

// StringOmit writes a string member unless it is empty.
func (o *Object) StringOmit(k, v string) {
	if v != "" {
		o.String(k, v)
	}
}

// StringOrNull writes a string member, null for nil.
func (o *Object) StringOrNull(k string, v *string) {
	if v == nil {
		o.Null(k)
		return
	}
	o.String(k, *v)
}

func (o *Object) Null(k string) {
	o.Key(k)
	o.B = append(o.B, "null"...)
}

func (o *Object) Int(k string, v int64) {
	o.Key(k)
	o.B = strconv.AppendInt(o.B, v, 10)
}

// IntOmit writes an int member unless it is zero.
func (o *Object) IntOmit(k string, v int64) {
	if v != 0 {
		o.Int(k, v)
	}
}

// IntOrNull writes an int member, null for nil.
func (o *Object) IntOrNull(k string, v *int) {
	if v == nil {
		o.Null(k)
		return
	}
	o.Int(k, int64(*v))
}

func (o *Object) Bool(k string, v bool) {
	o.Key(k)
	o.B = strconv.AppendBool(o.B, v)
}

func (o *Object) Float(k string, v float64) {
	o.Key(k)
	o.B = AppendFloat(o.B, v)
}

// Strings writes an array of strings, null for a nil slice.
func (o *Object) Strings(k string, v []string) {
	o.Key(k)
	o.B = AppendStrings(o.B, v)
}

// StringsOmit writes an array of strings unless it is empty.
func (o *Object) StringsOmit(k string, v []string) {
	if len(v) > 0 {
		o.Strings(k, v)
	}
}

// Raw writes a member whose value is already JSON.
func (o *Object) Raw(k string, v []byte) {
	o.Key(k)
	o.B = append(o.B, v...)
}

// AppendStrings appends an array of strings, null for a nil slice.
func AppendStrings(dst []byte, v []string) []byte {
	if v == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range v {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendString(dst, s)
	}
	return append(dst, ']')
}

// AppendFloat appends f as encoding/json writes a float64: the shortest
// decimal that reads back the same, in exponent form below 1e-6 or from
// 1e21, with the exponent's leading zero dropped. NaN and infinities have no
// JSON form; they are written as null.
func AppendFloat(dst []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, "null"...)
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	start := len(dst)
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		n := len(dst) - start
		if n >= 4 && dst[len(dst)-4] == 'e' && dst[len(dst)-3] == '-' && dst[len(dst)-2] == '0' {
			dst[len(dst)-2] = dst[len(dst)-1]
			dst = dst[:len(dst)-1]
		}
	}
	return dst
}

// Indent appends src, compact JSON, indented as encoding/json's Indent
// does it with no prefix: each element and member on its own line, empty
// arrays and objects kept as [] and {}, a space after each colon.
func Indent(dst, src []byte, indent string) []byte {
	depth := 0
	newline := func() {
		dst = append(dst, '\n')
		for range depth {
			dst = append(dst, indent...)
		}
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			j := i + 1
			for ; j < len(src) && src[j] != '"'; j++ {
				if src[j] == '\\' {
					j++
				}
			}
			dst = append(dst, src[i:min(j+1, len(src))]...)
			i = j
		case '{', '[':
			dst = append(dst, c)
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, src[i+1])
				i++
				continue
			}
			depth++
			newline()
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, c, ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
