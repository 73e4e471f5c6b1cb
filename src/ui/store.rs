//! The playground's state machine as yew's reducer: [`Store`] wraps
//! [`crate::playground::state::State`] and applies [`Action`]s with
//! [`crate::playground::state::reduce`], so every change is the tested native logic.

use std::rc::Rc;

use yew::prelude::*;

use crate::playground::state::{reduce, Action, State};

/// The app's state in yew's reducer.
#[derive(Clone, Debug)]
pub struct Store(pub State);

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = Rc::try_unwrap(self).map_or_else(|rc| rc.0.clone(), |s| s.0);
        reduce(&mut state, action);
        Rc::new(Store(state))
    }
}

/// The state and the way to change it, as the components receive them (compared by identity:
/// a new state is a new `Rc`).
#[derive(Clone)]
pub struct Ctx {
    pub store: UseReducerHandle<Store>,
}

impl PartialEq for Ctx {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(&*self.store as *const Store, &*other.store as *const Store)
    }
}

impl Ctx {
    pub fn state(&self) -> &State {
        &self.store.0
    }

    pub fn dispatch(&self, action: Action) {
        self.store.dispatch(action);
    }

    /// A callback dispatching the action `f` makes from an event.
    pub fn callback<E: 'static>(&self, f: impl Fn(E) -> Action + 'static) -> Callback<E> {
        let store = self.store.clone();
        Callback::from(move |e| store.dispatch(f(e)))
    }
}
