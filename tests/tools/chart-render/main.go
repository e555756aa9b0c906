// chart-render renders a Helm chart's templates as Helm would, for tests on machines without Helm: Go's own
// text/template (the engine Helm uses) with the subset of Helm's and Sprig's functions the KpiStream chart calls.
// It is a stand-in named as such, not Helm: functions the chart does not use are absent and fail the render.
//
// usage: chart-render CHART_DIR VALUES_JSON RELEASE_NAME
// prints every rendered manifest after a "# Source: templates/<file>" line; exits 1 with the message of fail or
// required, as helm template does.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/template"
)

type files struct{ dir string }

func (f files) Get(name string) string {
	content, err := os.ReadFile(filepath.Join(f.dir, name))
	if err != nil {
		return ""
	}
	return string(content)
}

func chartField(chartYaml, field string) string {
	for _, line := range strings.Split(chartYaml, "\n") {
		if strings.HasPrefix(line, field+":") {
			return strings.Trim(strings.TrimSpace(strings.TrimPrefix(line, field+":")), `"`)
		}
	}
	return ""
}

func toYaml(value interface{}) string {
	var out strings.Builder
	writeYaml(&out, value, 0)
	return strings.TrimSuffix(out.String(), "\n")
}

func scalar(value interface{}) string {
	switch v := value.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		if v == "" || strings.ContainsAny(v, ":#{}[],&*?|<>=!%@`'\"\n") || strings.TrimSpace(v) != v {
			quoted, _ := json.Marshal(v)
			return string(quoted)
		}
		if _, err := strconv.ParseFloat(v, 64); err == nil || v == "true" || v == "false" || v == "null" {
			return `"` + v + `"`
		}
		return v
	}
	return fmt.Sprint(value)
}

func writeYaml(out *strings.Builder, value interface{}, indent int) {
	pad := strings.Repeat(" ", indent)
	switch v := value.(type) {
	case map[string]interface{}:
		if len(v) == 0 {
			out.WriteString(pad + "{}\n")
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			switch child := v[k].(type) {
			case map[string]interface{}:
				if len(child) == 0 {
					out.WriteString(pad + k + ": {}\n")
				} else {
					out.WriteString(pad + k + ":\n")
					writeYaml(out, child, indent+2)
				}
			case []interface{}:
				if len(child) == 0 {
					out.WriteString(pad + k + ": []\n")
				} else {
					out.WriteString(pad + k + ":\n")
					writeYaml(out, child, indent)
				}
			default:
				out.WriteString(pad + k + ": " + scalar(child) + "\n")
			}
		}
	case []interface{}:
		for _, item := range v {
			switch item.(type) {
			case map[string]interface{}, []interface{}:
				var inner strings.Builder
				writeYaml(&inner, item, indent+2)
				text := inner.String()
				out.WriteString(pad + "- " + strings.TrimPrefix(text, pad+"  "))
			default:
				out.WriteString(pad + "- " + scalar(item) + "\n")
			}
		}
	default:
		out.WriteString(pad + scalar(v) + "\n")
	}
}

func indent(spaces int, text string) string {
	pad := strings.Repeat(" ", spaces)
	return pad + strings.ReplaceAll(text, "\n", "\n"+pad)
}

func empty(value interface{}) bool {
	switch v := value.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case bool:
		return !v
	case float64:
		return v == 0
	case int:
		return v == 0
	case []interface{}:
		return len(v) == 0
	case map[string]interface{}:
		return len(v) == 0
	}
	return false
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: chart-render CHART_DIR VALUES_JSON RELEASE_NAME")
		os.Exit(2)
	}
	chartDir, valuesFile, release := os.Args[1], os.Args[2], os.Args[3]
	valuesJSON, err := os.ReadFile(valuesFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var values map[string]interface{}
	if err := json.Unmarshal(valuesJSON, &values); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	chartYaml := files{chartDir}.Get("Chart.yaml")
	root := template.New("chart").Option("missingkey=zero")
	funcs := template.FuncMap{
		"include": func(name string, data interface{}) (string, error) {
			var out bytes.Buffer
			err := root.ExecuteTemplate(&out, name, data)
			return out.String(), err
		},
		"toYaml":  toYaml,
		"indent":  indent,
		"nindent": func(spaces int, text string) string { return "\n" + indent(spaces, text) },
		"quote":   func(value interface{}) string { q, _ := json.Marshal(fmt.Sprint(value)); return string(q) },
		"default": func(fallback interface{}, value interface{}) interface{} {
			if empty(value) {
				return fallback
			}
			return value
		},
		"required": func(message string, value interface{}) (interface{}, error) {
			if empty(value) {
				return nil, errors.New(message)
			}
			return value, nil
		},
		"fail":       func(message string) (string, error) { return "", errors.New(message) },
		"sha256sum":  func(text string) string { sum := sha256.Sum256([]byte(text)); return hex.EncodeToString(sum[:]) },
		"trunc":      func(n int, text string) string { if len(text) > n { return text[:n] }; return text },
		"trimSuffix": func(suffix, text string) string { return strings.TrimSuffix(text, suffix) },
		"int":        func(value interface{}) int { f, _ := value.(float64); return int(f) },
	}
	root.Funcs(funcs)
	var names []string
	templates, _ := filepath.Glob(filepath.Join(chartDir, "templates", "*"))
	for _, path := range templates {
		content, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		name := "templates/" + filepath.Base(path)
		if _, err := root.New(name).Parse(string(content)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if !strings.HasPrefix(filepath.Base(path), "_") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	data := map[string]interface{}{
		"Values":   values,
		"Release":  map[string]interface{}{"Name": release, "Namespace": "default", "Service": "Helm"},
		"Chart":    map[string]interface{}{"Name": chartField(chartYaml, "name"), "Version": chartField(chartYaml, "version"), "AppVersion": chartField(chartYaml, "appVersion")},
		"Files":    files{chartDir},
		"Template": map[string]interface{}{"BasePath": "templates"},
	}
	var out strings.Builder
	for _, name := range names {
		var rendered bytes.Buffer
		if err := root.ExecuteTemplate(&rendered, name, data); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		text := strings.ReplaceAll(rendered.String(), "<no value>", "")
		if strings.TrimSpace(text) != "" {
			out.WriteString("---\n# Source: " + name + "\n" + strings.TrimLeft(text, "\n") + "\n")
		}
	}
	fmt.Print(out.String())
}
