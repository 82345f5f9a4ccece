"""The ``tf`` library's gRPC servicer, taught to plan destroys (plugin protocol 6.3, Terraform >= 1.3).

Terraform asks a provider to plan a destroy (PlanResourceChange with a null proposed state)
only when the provider announces ``ServerCapabilities.plan_destroy`` in GetProviderSchema's
response; the ``tf`` library announces it in GetMetadata only, and answers such a request
with an error. :class:`EndpointsServicer` announces it and hands the destroy to the
resource's optional ``plan_destroy(ctx, prior)`` hook, so a destroy the apply would refuse
(a protected file system) fails the plan, before anything that depends on it is deleted.
Terraform before 1.3 never asks: there the apply still refuses.

Loaded when the provider starts (``run``), like the ``tf.provider`` module it extends.
"""

from __future__ import annotations

from typing import Any

import tf.provider
from tf.gen import tfplugin_pb2 as pb
from tf.iface import PlanContext, Provider
from tf.provider import ProviderServicer, _decode_state, _log_errors
from tf.utils import Diagnostics, read_dynamic_value

NULL = pb.DynamicValue(msgpack=b"\xc0")  # msgpack nil: the only planned state a destroy may have


class EndpointsServicer(ProviderServicer):
    @_log_errors
    def GetProviderSchema(self, request: Any, context: Any) -> Any:
        response = super().GetProviderSchema(request, context)
        response.server_capabilities.plan_destroy = True
        return response

    @_log_errors
    def PlanResourceChange(self, request: Any, context: Any) -> Any:
        if read_dynamic_value(request.proposed_new_state) is not None:
            return super().PlanResourceChange(request, context)
        type_name = request.type_name
        diags = Diagnostics()
        _, prior = _decode_state(diags, self._get_res_attrs(type_name), self._get_res_blocks(type_name),
                                 request.prior_state)
        if prior is None and not diags.has_errors():  # neither state: the library's answer
            return super().PlanResourceChange(request, context)
        if not diags.has_errors():
            resource = self.app.new_resource(self._get_res_cls(type_name))
            hook = getattr(resource, "plan_destroy", None)
            if hook is not None:
                hook(PlanContext(diags, type_name, changed_fields=set()), prior)
        return pb.PlanResourceChange.Response(planned_state=NULL, planned_private=request.prior_private,
                                              diagnostics=diags.to_pb())


def run(provider: Provider) -> None:
    """``tf.runner.run_provider`` serving :class:`EndpointsServicer` (it imports its servicer class
    from ``tf.provider`` when called)."""
    from tf.runner import run_provider

    original = tf.provider.ProviderServicer
    tf.provider.ProviderServicer = EndpointsServicer  # type: ignore[misc]
    try:
        run_provider(provider)
    finally:
        tf.provider.ProviderServicer = original  # type: ignore[misc]
