// Package fakegw has fake gateways on loopback for the port mapper's
// tests: a UPnP IGD (an HTTP server with the device description and the
// WANIPConnection SOAP actions) and a NAT-PMP responder. Both record the
// mappings they hold and can be told to refuse requests.
package fakegw

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
)

// Key names a mapping on a fake gateway.
type Key struct {
	Protocol string // "TCP" or "UDP"
	External uint16
}

// Entry is a mapping a fake gateway holds.
type Entry struct {
	Internal uint16
	Client   string // UPnP: the internal client's address
	Lease    uint32 // seconds
}

// record is the state both fakes keep.
type record struct {
	mu      sync.Mutex
	held    map[Key]Entry
	adds    int // add (and renewal) requests answered with success
	refuse  int // the next requests to refuse
	changed chan struct{}
}

func newRecord() *record {
	return &record{held: make(map[Key]Entry), changed: make(chan struct{}, 1)}
}

// Mappings returns what the gateway holds.
func (r *record) Mappings() map[Key]Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[Key]Entry, len(r.held))
	for k, v := range r.held {
		out[k] = v
	}
	return out
}

// Adds counts the successful add requests (renewals included).
func (r *record) Adds() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.adds
}

// Refuse makes the next n requests fail.
func (r *record) Refuse(n int) {
	r.mu.Lock()
	r.refuse = n
	r.mu.Unlock()
}

// Changed is signalled (without blocking) whenever a request was
// answered: a test waits on it and then looks.
func (r *record) Changed() <-chan struct{} { return r.changed }

func (r *record) signal() {
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

// refusing takes one refusal, if any is left.
func (r *record) refusing() bool {
	if r.refuse > 0 {
		r.refuse--
		return true
	}
	return false
}

// IGD is a fake UPnP Internet Gateway Device on an httptest server.
type IGD struct {
	*record
	srv     *httptest.Server
	service string // the WAN connection service type it offers
	extIP   string
}

// NewIGD serves a fake IGD offering service (e.g.
// "urn:schemas-upnp-org:service:WANIPConnection:2") with external
// address extIP, until Close.
func NewIGD(service, extIP string) *IGD {
	g := &IGD{record: newRecord(), service: service, extIP: extIP}
	mux := http.NewServeMux()
	mux.HandleFunc("/rootDesc.xml", g.serveDesc)
	mux.HandleFunc("/ctl/IPConn", g.serveControl)
	g.srv = httptest.NewServer(mux)
	return g
}

// URL is the device description's location.
func (g *IGD) URL() string { return g.srv.URL + "/rootDesc.xml" }

// Close stops the server.
func (g *IGD) Close() { g.srv.Close() }

func (g *IGD) serveDesc(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/xml")
	fmt.Fprintf(w, `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
<specVersion><major>1</major><minor>0</minor></specVersion>
<device>
 <deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:2</deviceType>
 <friendlyName>fake IGD</friendlyName><UDN>uuid:fake-igd</UDN>
 <deviceList><device>
  <deviceType>urn:schemas-upnp-org:device:WANDevice:2</deviceType>
  <friendlyName>WAN</friendlyName><UDN>uuid:fake-wan</UDN>
  <deviceList><device>
   <deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:2</deviceType>
   <friendlyName>WAN connection</friendlyName><UDN>uuid:fake-wanconn</UDN>
   <serviceList><service>
    <serviceType>%s</serviceType>
    <serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
    <SCPDURL>/WANIPCn.xml</SCPDURL>
    <controlURL>/ctl/IPConn</controlURL>
    <eventSubURL>/evt/IPConn</eventSubURL>
   </service></serviceList>
  </device></deviceList>
 </device></deviceList>
</device>
</root>`, g.service)
}

// soapArgs are the arguments of the actions the fake answers.
type soapArgs struct {
	ExternalPort   uint16 `xml:"NewExternalPort"`
	Protocol       string `xml:"NewProtocol"`
	InternalPort   uint16 `xml:"NewInternalPort"`
	InternalClient string `xml:"NewInternalClient"`
	LeaseDuration  uint32 `xml:"NewLeaseDuration"`
}

func (g *IGD) serveControl(w http.ResponseWriter, r *http.Request) {
	action := strings.Trim(r.Header.Get("SOAPACTION"), `"`)
	_, name, _ := strings.Cut(action, "#")
	var env struct {
		Body struct {
			Inner []byte `xml:",innerxml"`
		} `xml:"Body"`
	}
	body, _ := io.ReadAll(r.Body)
	var args soapArgs
	if err := xml.Unmarshal(body, &env); err == nil {
		_ = xml.Unmarshal(env.Body.Inner, &args)
	}
	g.mu.Lock()
	defer g.signal()
	defer g.mu.Unlock()
	if g.refusing() {
		fault(w, 501, "ActionFailed")
		return
	}
	out := ""
	switch name {
	case "GetExternalIPAddress":
		out = "<NewExternalIPAddress>" + g.extIP + "</NewExternalIPAddress>"
	case "AddPortMapping":
		g.held[Key{args.Protocol, args.ExternalPort}] = Entry{Internal: args.InternalPort, Client: args.InternalClient, Lease: args.LeaseDuration}
		g.adds++
	case "DeletePortMapping":
		k := Key{args.Protocol, args.ExternalPort}
		if _, ok := g.held[k]; !ok {
			fault(w, 714, "NoSuchEntryInArray")
			return
		}
		delete(g.held, k)
	default:
		fault(w, 401, "Invalid Action")
		return
	}
	w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
	fmt.Fprintf(w, `<?xml version="1.0"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">
<s:Body><u:%sResponse xmlns:u="%s">%s</u:%sResponse></s:Body></s:Envelope>`, name, g.service, out, name)
}

func fault(w http.ResponseWriter, code int, desc string) {
	w.Header().Set("Content-Type", `text/xml; charset="utf-8"`)
	w.WriteHeader(http.StatusInternalServerError)
	fmt.Fprintf(w, `<?xml version="1.0"?>
<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">
<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>
<detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>%d</errorCode><errorDescription>%s</errorDescription></UPnPError></detail>
</s:Fault></s:Body></s:Envelope>`, code, desc)
}
