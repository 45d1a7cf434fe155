package runtime

func init() { bindingTable["process_wrap"] = bindProcessWrap }
