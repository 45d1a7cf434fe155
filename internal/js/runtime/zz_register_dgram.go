package runtime

func init() { bindingTable["udp"] = bindUDP }
